// Package embed computes face descriptors: dlib's ResNet face-recognition
// network (128-d, trained so that two faces of one person lie within 0.6
// of each other; 99.38% on LFW per dlib), run locally through OpenCV's DNN
// module from the ONNX file the model registry names
// (models.FaceRecognition, generated at build time by `make models` from
// the npm package @vladmandic/face-api@1.7.15).
//
// It is meant for matching an ID document's portrait to the live face and
// for noticing a face swapper that flicks back to the real face for a few
// frames; no signal or service calls it yet.
//
// Descriptors are the network's raw outputs, as dlib and face-api return
// them (length about 1.4-1.6), because the 0.6 threshold is calibrated on
// those: see Embed and docs/MODELS.md.
//
// Alignment follows dlib's get_face_chip_details(shape, 150, 0.25) and
// extract_image_chip, the chips the network was trained on: a similarity
// transform fitted from the 68 landmarks (eyes, nose and upper mouth; jaw,
// brows and lower lip ignored) to dlib's mean face, bilinear sampling,
// and a 2x image pyramid first when the face is more than twice the
// chip's size. See Align.
//
// Ownership and concurrency: an Embedder owns its network and scratch Mats
// (created in Load, closed in Close). Embed is safe for concurrent
// use (calls are serialised: one network, about 10 ms a face on one
// core) and does not retain the image. Close is idempotent.
package embed
