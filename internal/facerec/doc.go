// Package facerec converts the face-recognition network that the npm
// package @vladmandic/face-api ships (dlib's ResNet metric network,
// 128-d descriptors, in TensorFlow.js weight format) into an ONNX model
// that OpenCV's DNN module runs.
//
// The architecture is face-api's FaceRecognitionNet
// (src/faceRecognitionNet in the package), itself a port of dlib's
// dnn_face_recognition_ex.cpp network: a 7x7 stride-2 convolution, 3x3
// max pooling, 14 residual blocks (32, 64, 128, 256 channels, each "down"
// block halving the resolution), global average pooling and a 256→128
// fully connected layer without bias. See Build for the exact graph and
// how each tfjs weight maps into it.
//
// Pure Go, no state; safe for concurrent use. Build tooling only
// (cmd/unmask-models): the engine loads the resulting ONNX file through
// the model registry.
package facerec
