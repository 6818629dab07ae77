package face

/*
#include <stdlib.h>
#include "native.h"
*/
import "C"

import (
	"fmt"
	"image"
	"sync"
	"unsafe"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// Landmarker predicts dlib's 68 facial landmarks inside a face box with an
// ensemble of regression trees (Kazemi & Sullivan, CVPR 2014).
//
// Predict is safe for concurrent use (dlib's predictor is const); Close
// waits for running predictions. Close is idempotent.
type Landmarker struct {
	mu sync.RWMutex
	sp unsafe.Pointer
}

// NewLandmarker loads the shape predictor from path (about 0.7 s for the
// 100 MB model). Use models.Default().Path(models.Landmarks68) to find and
// verify it first.
func NewLandmarker(path string) (*Landmarker, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var cerr *C.char
	sp := C.um_sp_load(cpath, &cerr)
	if sp == nil {
		return nil, fmt.Errorf("%w: landmarks %s: %v", ErrModel, path, takeErr(cerr, "load failed"))
	}
	return &Landmarker{sp: sp}, nil
}

// Predict returns the 68 points for the face in box on the grayscale image
// gray. It does not retain gray.
func (l *Landmarker) Predict(gray gocv.Mat, box image.Rectangle) ([]analysis.Point, error) {
	if err := checkGray(gray); err != nil {
		return nil, err
	}
	if box.Empty() {
		return nil, fmt.Errorf("face: landmarks: empty box")
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.sp == nil {
		return nil, ErrClosed
	}
	var xy [2 * analysis.NumLandmarks]C.double
	var cerr *C.char
	if C.um_sp_predict(l.sp, matPtr(gray), cRect(box), &xy[0], &cerr) != 0 {
		return nil, fmt.Errorf("face: landmarks: %w", takeErr(cerr, "predict failed"))
	}
	pts := make([]analysis.Point, analysis.NumLandmarks)
	for i := range pts {
		pts[i] = analysis.Point{X: float64(xy[2*i]), Y: float64(xy[2*i+1])}
	}
	return pts, nil
}

// Close frees the model. Close is idempotent.
func (l *Landmarker) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sp != nil {
		C.um_sp_free(l.sp)
		l.sp = nil
	}
	return nil
}

// checkGray guards native calls: OpenCV and dlib must never see an empty
// or wrongly typed Mat.
func checkGray(m gocv.Mat) error {
	if m.Ptr() == nil || m.Empty() || m.Type() != gocv.MatTypeCV8UC1 {
		return ErrNotGray
	}
	if m.Cols() < analysis.MinFrameSide || m.Rows() < analysis.MinFrameSide {
		return fmt.Errorf("%w: %dx%d gray image", analysis.ErrBadFrame, m.Cols(), m.Rows())
	}
	return nil
}
