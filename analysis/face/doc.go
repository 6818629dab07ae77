// Package face is the per-frame face pipeline: full-frame detection (dlib's
// HOG detector, OpenCV's Haar cascade as the fallback), DSST correlation
// tracking between detections, dlib's 68 landmarks, head pose by solvePnP
// against a 3D mean face, and a quality score.
//
// Native code: native.cpp wraps dlib and OpenCV's calib3d behind a C
// interface. It reads gocv Mats in place (dlib::cv_image), never copies
// pixels, and catches every C++ exception; the Go side checks every Mat
// before a native call, because an OpenCV assertion aborts the process.
//
// Ownership and concurrency: Models (the 100 MB landmark model and the
// mean face) are loaded once and shared; Landmarker is safe for concurrent
// use. An Analyzer serves one stream and owns its detectors, tracker and
// scratch Mats; its two stages, Locate and Describe, may run on two
// goroutines (see analysis/pipeline). Close methods are idempotent.
package face
