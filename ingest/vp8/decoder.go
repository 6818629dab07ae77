package vp8

/*
#cgo pkg-config: vpx
#cgo CFLAGS: -O3 -std=c99
#include <stdlib.h>
#include "native.h"
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/bgr"
)

// MaxFrameSize bounds one compressed frame in bytes everywhere in this
// package (Decoder, Assembler default, IVFSource). A 1080p keyframe at a
// generous WebRTC bitrate is under 300 KB; 4 MiB only keeps a hostile
// stream from making us buffer or decode without limit.
const MaxFrameSize = 4 << 20

// Decoder decodes a VP8 stream with libvpx into 8-bit BGR Mats.
//
// A Decoder is not safe for concurrent use: one goroutine feeds it the
// frames of one stream, in order. Close may be called from any goroutine;
// it waits for a Decode in progress and is idempotent.
type Decoder struct {
	mu      sync.Mutex
	c       *C.um_vp8
	needKey bool
	forceC  bool     // always convert in C: for tests and benchmarks
	w, h    int      // size of the last picture
	i420    gocv.Mat // scratch for the OpenCV conversion
}

// NewDecoder creates a libvpx VP8 decoder. The caller must Close it.
func NewDecoder() (*Decoder, error) {
	c := C.um_vp8_new()
	if c == nil {
		return nil, fmt.Errorf("vp8: %w", errInit)
	}
	return &Decoder{c: c, needKey: true, i420: gocv.NewMat()}, nil
}

// NeedKeyframe reports whether the next inter frame would be refused with
// ErrNeedKeyframe: true before the first keyframe and after any error.
func (d *Decoder) NeedKeyframe() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.needKey
}

// Decode decodes one complete compressed frame and writes its picture into
// dst as BGR (CV_8UC3). dst keeps its memory when the size is unchanged;
// otherwise it is reallocated in place. A zero or closed *dst is replaced
// by a new Mat that the caller then owns. Decode does not retain frame.
//
// Errors: ErrClosed; ErrNeedKeyframe for an inter frame without a valid
// reference; ErrNoPicture for a frame not meant to be shown; an error
// wrapping analysis.ErrBadFrame for a keyframe whose side is outside
// [analysis.MinFrameSide, analysis.MaxFrameSide]; ErrCorrupt otherwise.
// After any error but ErrClosed and ErrNoPicture the decoder waits for a
// keyframe. dst is only written on success.
func (d *Decoder) Decode(frame []byte, dst *gocv.Mat) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c == nil {
		return fmt.Errorf("vp8: decode: %w", ErrClosed)
	}
	if dst == nil {
		return fmt.Errorf("vp8: decode: %w", errNilMat)
	}
	if len(frame) == 0 {
		d.needKey = true
		return fmt.Errorf("vp8: decode: %w: empty frame", ErrCorrupt)
	}
	if len(frame) > MaxFrameSize {
		d.needKey = true
		return fmt.Errorf("vp8: decode: %w: %d bytes, over %d", ErrCorrupt, len(frame), MaxFrameSize)
	}
	h, err := ParseHeader(frame)
	if err != nil {
		d.needKey = true
		return fmt.Errorf("vp8: decode: %w", err)
	}
	if !h.Keyframe && d.needKey {
		return fmt.Errorf("vp8: decode: %w", ErrNeedKeyframe)
	}
	// Check the size before libvpx allocates buffers for it.
	if h.Keyframe {
		if err := checkSide(h.Width, h.Height); err != nil {
			d.needKey = true
			return fmt.Errorf("vp8: decode: keyframe: %w", err)
		}
	}
	r := C.um_vp8_decode(d.c, (*C.uint8_t)(unsafe.Pointer(&frame[0])), C.size_t(len(frame)))
	switch r.status {
	case C.UM_VP8_PICTURE:
	case C.UM_VP8_NO_PICTURE:
		return fmt.Errorf("vp8: decode: %w", ErrNoPicture)
	default:
		msg := C.GoString(C.um_vp8_message(d.c))
		d.fail()
		return fmt.Errorf("vp8: decode: %w: libvpx: %s", ErrCorrupt, msg)
	}
	w, ht := int(r.w), int(r.h)
	if err := checkSide(w, ht); err != nil {
		d.fail()
		return fmt.Errorf("vp8: decode: %w", err)
	}
	if err := d.convert(dst, w, ht); err != nil {
		return fmt.Errorf("vp8: decode: %w", err)
	}
	d.w, d.h, d.needKey = w, ht, false
	return nil
}

// fail starts over with a fresh libvpx context and waits for a keyframe,
// so no state from a broken frame survives.
func (d *Decoder) fail() {
	d.needKey = true
	C.um_vp8_reset(d.c) // on failure um_vp8_decode retries and reports it
}

// convert writes the decoded picture into dst. Packing the planes for
// OpenCV's SIMD converter is 4-7x faster than the scalar C loop
// (BenchmarkConvert: 0.05 vs 0.29 ms at 400x300, 0.12 vs 0.74 ms at
// 640x480, 0.31 vs 2.2 ms at 1280x720), but OpenCV asserts on odd sizes,
// which VP8 allows: those go through C. Both give identical pixels.
func (d *Decoder) convert(dst *gocv.Mat, w, h int) error {
	if !d.forceC && w%2 == 0 && h%2 == 0 {
		return d.convertOpenCV(dst, w, h)
	}
	if err := bgr.Ensure(dst, w, h); err != nil {
		return err
	}
	b, err := dst.DataPtrUint8()
	if err != nil || len(b) < w*h*3 {
		return errNotContinuous
	}
	C.um_vp8_bgr(d.c, (*C.uint8_t)(unsafe.Pointer(&b[0])), C.int(dst.Step()))
	return nil
}

// convertOpenCV packs the planes into the scratch Mat and lets OpenCV
// convert them. CvtColor sizes dst itself, reallocating only on a change.
func (d *Decoder) convertOpenCV(dst *gocv.Mat, w, h int) error {
	rows := h * 3 / 2
	if d.i420.Rows() != rows || d.i420.Cols() != w {
		d.i420.Close()
		d.i420 = gocv.NewMatWithSize(rows, w, gocv.MatTypeCV8UC1)
	}
	b, err := d.i420.DataPtrUint8()
	if err != nil || len(b) < rows*w {
		return errNotContinuous
	}
	C.um_vp8_i420(d.c, (*C.uint8_t)(unsafe.Pointer(&b[0])))
	if dst.Ptr() == nil {
		*dst = gocv.NewMat()
	}
	gocv.CvtColor(d.i420, dst, gocv.ColorYUVToBGRIYUV)
	return nil
}

// checkSide wraps analysis.ErrBadFrame for a picture no stage can use.
func checkSide(w, h int) error {
	if w < analysis.MinFrameSide || h < analysis.MinFrameSide || w > analysis.MaxFrameSide || h > analysis.MaxFrameSide {
		return fmt.Errorf("%w: size %dx%d outside %d..%d", analysis.ErrBadFrame, w, h, analysis.MinFrameSide, analysis.MaxFrameSide)
	}
	return nil
}

// Close releases libvpx's context. It waits for a Decode in progress and is
// idempotent.
func (d *Decoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c == nil {
		return nil
	}
	C.um_vp8_free(d.c)
	d.c = nil
	return d.i420.Close()
}

// needKeyframe makes the decoder refuse inter frames until a keyframe, for
// a frame its caller dropped unread.
func (d *Decoder) needKeyframe() {
	d.mu.Lock()
	d.needKey = true
	d.mu.Unlock()
}
