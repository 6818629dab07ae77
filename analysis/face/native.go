package face

/*
#cgo CXXFLAGS: -std=c++14 -O3 -DNDEBUG
#cgo pkg-config: opencv4
#cgo LDFLAGS: -ldlib -llapack -lblas
#include <stdlib.h>
#include "native.h"
*/
import "C"

import (
	"errors"
	"image"
	"unsafe"

	"gocv.io/x/gocv"
)

// takeErr converts a C error string to a Go error and frees it.
func takeErr(cerr *C.char, fallback string) error {
	if cerr == nil {
		return errors.New(fallback)
	}
	defer C.free(unsafe.Pointer(cerr))
	return errors.New(C.GoString(cerr))
}

func cRect(r image.Rectangle) C.um_rect {
	return C.um_rect{left: C.double(r.Min.X), top: C.double(r.Min.Y), right: C.double(r.Max.X - 1), bottom: C.double(r.Max.Y - 1)}
}

// goRect converts dlib's inclusive rectangle to a half-open image.Rectangle.
func goRect(r C.um_rect) image.Rectangle {
	return image.Rect(int(r.left+0.5), int(r.top+0.5), int(r.right+0.5)+1, int(r.bottom+0.5)+1)
}

// matPtr returns the cv::Mat* behind m for the native code, which reads it
// in place. The caller keeps m alive for the duration of the call.
func matPtr(m gocv.Mat) unsafe.Pointer { return unsafe.Pointer(m.Ptr()) }
