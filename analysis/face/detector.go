package face

/*
#include <stdlib.h>
#include "native.h"
*/
import "C"

import (
	"fmt"
	"image"
	"sort"
	"sync"
	"unsafe"

	"gocv.io/x/gocv"
)

// Detection is one face found by a full-frame detector.
type Detection struct {
	Box image.Rectangle
	// Confidence in [0,1]: each detector maps its own score here, so
	// callers never interpret detector-specific numbers.
	Confidence float64
}

// Detector finds faces in a grayscale image. Implementations are not safe
// for concurrent use; Close is idempotent.
type Detector interface {
	Detect(gray gocv.Mat) ([]Detection, error)
	Name() string
	Close() error
}

// maxDetections bounds what one frame may return; an interview frame holds
// one face, a crowd is not our input.
const maxDetections = 16

// HOGDetector is dlib's frontal face detector: HOG features and a linear
// SVM over an image pyramid (Dalal & Triggs 2005; dlib's model covers
// frontal views and yaw up to about ±30-40°). Its boxes are the ones the 68-
// point predictor was trained on.
type HOGDetector struct {
	mu       sync.Mutex
	hog      unsafe.Pointer
	upsample int
}

// NewHOGDetector returns a HOG detector. With upsample 0 it finds faces
// from about 80 px wide; each upsample step halves that and costs ~4x.
func NewHOGDetector(upsample int) (*HOGDetector, error) {
	var cerr *C.char
	h := C.um_hog_new(&cerr)
	if h == nil {
		return nil, fmt.Errorf("%w: hog: %v", ErrModel, takeErr(cerr, "create failed"))
	}
	if upsample < 0 || upsample > 2 {
		upsample = 0
	}
	return &HOGDetector{hog: h, upsample: upsample}, nil
}

// Name identifies the detector in reports.
func (d *HOGDetector) Name() string { return fmt.Sprintf("dlib-hog-up%d", d.upsample) }

// Detect returns faces, best first. It does not retain gray.
func (d *HOGDetector) Detect(gray gocv.Mat) ([]Detection, error) {
	if err := checkGray(gray); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hog == nil {
		return nil, ErrClosed
	}
	var out [maxDetections]C.um_rect
	var cerr *C.char
	n := C.um_hog_detect(d.hog, matPtr(gray), C.int(d.upsample), 0, &out[0], maxDetections, &cerr)
	if n < 0 {
		return nil, fmt.Errorf("face: hog detect: %w", takeErr(cerr, "detect failed"))
	}
	dets := make([]Detection, 0, int(n))
	for i := 0; i < int(n); i++ {
		dets = append(dets, Detection{Box: goRect(out[i]), Confidence: hogConfidence(float64(out[i].score))})
	}
	return dets, nil
}

// Close frees the detector. Close is idempotent.
func (d *HOGDetector) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hog != nil {
		C.um_hog_free(d.hog)
		d.hog = nil
	}
	return nil
}

// CascadeDetector is an OpenCV Viola-Jones cascade (Haar or LBP) from
// opencv-data.
type CascadeDetector struct {
	name    string
	cc      gocv.CascadeClassifier
	closed  bool
	minSize int
	// hist is scratch for histogram equalisation, which the cascades were
	// trained with and which lifts recall in dim webcam light.
	hist gocv.Mat
}

// NewCascadeDetector loads the cascade at path. minSize is the smallest
// face side in pixels to look for.
func NewCascadeDetector(name, path string, minSize int) (*CascadeDetector, error) {
	cc := gocv.NewCascadeClassifier()
	if !cc.Load(path) {
		cc.Close()
		return nil, fmt.Errorf("%w: cascade %s", ErrModel, path)
	}
	if minSize < 20 {
		minSize = 20
	}
	return &CascadeDetector{name: name, cc: cc, minSize: minSize, hist: gocv.NewMat()}, nil
}

// Name identifies the detector in reports.
func (d *CascadeDetector) Name() string { return d.name }

// Detect returns faces, largest first. It does not retain gray.
func (d *CascadeDetector) Detect(gray gocv.Mat) ([]Detection, error) {
	if err := checkGray(gray); err != nil {
		return nil, err
	}
	if d.closed {
		return nil, ErrClosed
	}
	gocv.EqualizeHist(gray, &d.hist)
	// scale 1.1 and 3 neighbours are OpenCV's documented defaults for
	// faces; a lower neighbour count adds false positives on textures.
	rects := d.cc.DetectMultiScaleWithParams(d.hist, 1.1, 3, 0, image.Pt(d.minSize, d.minSize), image.Pt(0, 0))
	dets := make([]Detection, 0, len(rects))
	for _, r := range rects {
		if len(dets) == maxDetections {
			break
		}
		dets = append(dets, Detection{Box: r, Confidence: cascadeConfidence})
	}
	// Cascades give no score: the largest face is the likeliest interviewee.
	sort.SliceStable(dets, func(i, j int) bool { return dets[i].Box.Dx() > dets[j].Box.Dx() })
	return dets, nil
}

// hogConfidence maps dlib's HOG SVM margin to [0,1]: the margin is 0 at
// the detector's threshold and about 1-2.5 on clear frontal faces.
func hogConfidence(margin float64) float64 { return clamp01(0.5 + margin/2) }

// cascadeConfidence is given to every cascade hit. Cascades report no
// score; 0.8 ranks a fallback hit below a clear HOG detection (margin >
// 0.6) and above the tracker's weak updates.
const cascadeConfidence = 0.8

// Close frees the cascade and scratch. Close is idempotent.
func (d *CascadeDetector) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	d.hist.Close()
	return d.cc.Close()
}
