package face

/*
#include "native.h"
*/
import "C"

import (
	"fmt"
	"image"
	"unsafe"

	"gocv.io/x/gocv"
)

// Tracker follows one face box between detections with dlib's
// correlation tracker (DSST: Danelljan et al., BMVC 2014), which also
// adapts the box's scale. Its peak-to-sidelobe ratio (PSR) says how sure it
// is; Bolme et al. (CVPR 2010) report PSR 20-60 under normal tracking and
// below ~7 at failure.
//
// A Tracker is not safe for concurrent use. Close is idempotent.
type Tracker struct {
	ct      unsafe.Pointer
	started bool
}

// NewTracker returns an idle tracker.
func NewTracker() (*Tracker, error) {
	var cerr *C.char
	ct := C.um_ct_new(&cerr)
	if ct == nil {
		return nil, fmt.Errorf("face: tracker: %w", takeErr(cerr, "create failed"))
	}
	return &Tracker{ct: ct}, nil
}

// Start begins tracking box on gray.
func (t *Tracker) Start(gray gocv.Mat, box image.Rectangle) error {
	if t.ct == nil {
		return ErrClosed
	}
	if err := checkGray(gray); err != nil {
		return err
	}
	if box.Dx() < 8 || box.Dy() < 8 {
		return fmt.Errorf("face: tracker: box %v too small", box)
	}
	var cerr *C.char
	if C.um_ct_start(t.ct, matPtr(gray), cRect(box), &cerr) != 0 {
		t.started = false
		return fmt.Errorf("face: tracker start: %w", takeErr(cerr, "start failed"))
	}
	t.started = true
	return nil
}

// Update moves the box to gray and returns it with the PSR. With scale
// false it searches position only, which costs about a third: interview
// faces change size slowly, so callers search scale on a schedule.
func (t *Tracker) Update(gray gocv.Mat, scale bool) (image.Rectangle, float64, error) {
	if t.ct == nil {
		return image.Rectangle{}, 0, ErrClosed
	}
	if !t.started {
		return image.Rectangle{}, 0, fmt.Errorf("face: tracker: update before start")
	}
	if err := checkGray(gray); err != nil {
		return image.Rectangle{}, 0, err
	}
	var r C.um_rect
	var cerr *C.char
	sc := C.int(0)
	if scale {
		sc = 1
	}
	psr := float64(C.um_ct_update(t.ct, matPtr(gray), sc, &r, &cerr))
	if psr < 0 {
		return image.Rectangle{}, 0, fmt.Errorf("face: tracker update: %w", takeErr(cerr, "update failed"))
	}
	return goRect(r), psr, nil
}

// Close frees the tracker. Close is idempotent.
func (t *Tracker) Close() error {
	if t.ct != nil {
		C.um_ct_free(t.ct)
		t.ct = nil
	}
	return nil
}
