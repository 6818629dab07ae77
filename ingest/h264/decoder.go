package h264

/*
#cgo pkg-config: libavcodec libavutil libswscale
#cgo CFLAGS: -O2 -std=c99
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

const (
	// MaxFrameSize bounds one access unit in bytes everywhere in this
	// package (Decoder, Assembler default, IVFSource), as vp8.MaxFrameSize:
	// a 1080p IDR at a generous WebRTC bitrate is well under 1 MB.
	MaxFrameSize = 4 << 20
	// MaxPixels bounds width×height of a picture: 3840x2160 (4K UHD).
	// Larger pictures are refused with analysis.ErrBadFrame, from the SPS
	// before libavcodec sees it and by libavcodec (max_pixels) before it
	// allocates.
	MaxPixels = 3840 * 2160
)

// Decoder decodes an H.264 stream (Annex-B access units) with libavcodec
// into 8-bit BGR Mats. It decodes with one thread and AV_CODEC_FLAG_LOW_DELAY,
// so each access unit gives its picture at once; streams with B-frames
// (not sent by WebRTC senders) would come out in decode order.
//
// A Decoder is not safe for concurrent use: one goroutine feeds it the
// access units of one stream, in order. Close may be called from any
// goroutine; it waits for a Decode in progress and is idempotent.
type Decoder struct {
	mu      sync.Mutex
	c       *C.um_h264
	needKey bool
	w, h    int // size of the last picture
}

// NewDecoder creates a libavcodec H.264 decoder. The caller must Close it.
func NewDecoder() (*Decoder, error) {
	c := C.um_h264_new(C.int64_t(MaxPixels))
	if c == nil {
		return nil, fmt.Errorf("h264: %w", errInit)
	}
	return &Decoder{c: c, needKey: true}, nil
}

// NeedKeyframe reports whether the next access unit with non-IDR slices
// would be refused with ErrNeedKeyframe: true before the first IDR picture
// and after any error.
func (d *Decoder) NeedKeyframe() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.needKey
}

// Decode decodes one complete Annex-B access unit (start codes before each
// NAL unit, SPS and PPS in-band before an IDR, as Assembler returns them)
// and writes its picture into dst as BGR (CV_8UC3). dst keeps its memory
// when the size is unchanged; otherwise it is reallocated in place. A zero
// or closed *dst is replaced by a new Mat that the caller then owns. Decode
// does not retain au.
//
// Errors: ErrClosed; ErrNeedKeyframe for non-IDR slices without a valid
// reference; ErrNoPicture when no picture came out; an error wrapping
// analysis.ErrBadFrame for a picture whose side is outside
// [analysis.MinFrameSide, analysis.MaxFrameSide] or that has more than
// MaxPixels pixels; ErrCorrupt otherwise. After any error but ErrClosed,
// ErrNeedKeyframe and ErrNoPicture for an access unit without slices, the
// decoder waits for an IDR. dst is only written on success.
func (d *Decoder) Decode(au []byte, dst *gocv.Mat) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c == nil {
		return fmt.Errorf("h264: decode: %w", ErrClosed)
	}
	if dst == nil {
		return fmt.Errorf("h264: decode: %w", errNilMat)
	}
	if len(au) == 0 || len(au) > MaxFrameSize {
		d.fail()
		return fmt.Errorf("h264: decode: %w: %d bytes, want 1..%d", ErrCorrupt, len(au), MaxFrameSize)
	}
	kind := kindOf(au)
	if kind.slice && !kind.idr && d.needKey {
		return fmt.Errorf("h264: decode: %w", ErrNeedKeyframe)
	}
	if err := checkSPS(au); err != nil {
		d.fail()
		return fmt.Errorf("h264: decode: %w", err)
	}
	r := C.um_h264_decode(d.c, (*C.uint8_t)(unsafe.Pointer(&au[0])), C.size_t(len(au)))
	switch r.status {
	case C.UM_H264_PICTURE:
	case C.UM_H264_NO_PICTURE:
		if kind.slice {
			d.fail()
		}
		return fmt.Errorf("h264: decode: %w", ErrNoPicture)
	case C.UM_H264_ERROR:
		if !kind.slice {
			// libavcodec keeps the parameter sets but fails a packet
			// without slices ("no frame!"); no reference was touched.
			return fmt.Errorf("h264: decode: %w: no slices", ErrNoPicture)
		}
		fallthrough
	default:
		msg := C.GoString(C.um_h264_message(d.c))
		d.fail()
		return fmt.Errorf("h264: decode: %w: libavcodec: %s", ErrCorrupt, msg)
	}
	w, h := int(r.w), int(r.h)
	if err := checkSize(int64(w), int64(h)); err != nil {
		d.fail()
		return fmt.Errorf("h264: decode: %w", err)
	}
	d.w, d.h = w, h
	if err := d.convert(dst); err != nil {
		d.fail()
		return fmt.Errorf("h264: decode: %w", err)
	}
	d.needKey = false
	return nil
}

// checkSPS refuses an access unit whose SPS is malformed or declares a
// picture size checkSize refuses, before libavcodec sees it.
func checkSPS(au []byte) error {
	var err error
	forEachNAL(au, func(nal []byte) bool {
		if nalType(nal) != nalSPS {
			return true
		}
		w, h, perr := spsSize(nal)
		switch {
		case perr != nil:
			err = fmt.Errorf("%w: %v", ErrCorrupt, perr)
		default:
			err = checkSize(w, h)
		}
		return err == nil
	})
	return err
}

// fail drops the decoder's reference pictures and waits for an IDR, so no
// state from a broken access unit reaches later pictures.
func (d *Decoder) fail() {
	d.needKey = true
	C.um_h264_flush(d.c)
}

// convert writes the decoded picture into dst with libswscale (BT.601
// limited range for the usual yuv420p, as OpenCV's FFmpeg backend). It
// handles every format libavcodec's H.264 decoder gives (full range,
// 4:2:2, 4:4:4, high bit depth, odd sizes) and was faster than packing the
// planes for OpenCV's cvtColor: 0.06 vs 0.11 ms at 400x300, 0.35 vs 0.55
// ms at 1280x720 (BenchmarkConvert, measured before that path was removed).
func (d *Decoder) convert(dst *gocv.Mat) error {
	w, h := d.w, d.h
	if err := bgr.Ensure(dst, w, h); err != nil {
		return err
	}
	b, err := dst.DataPtrUint8()
	if err != nil || len(b) < w*h*3 {
		return errNotContinuous
	}
	if C.um_h264_bgr(d.c, (*C.uint8_t)(unsafe.Pointer(&b[0])), C.int(dst.Step())) != 0 {
		return fmt.Errorf("%w: %s", errConvert, C.GoString(C.um_h264_message(d.c)))
	}
	return nil
}

// checkSize wraps analysis.ErrBadFrame for a picture no stage can use or
// that is larger than MaxPixels.
func checkSize(w, h int64) error {
	lo, hi := int64(analysis.MinFrameSide), int64(analysis.MaxFrameSide)
	if w < lo || h < lo || w > hi || h > hi {
		return fmt.Errorf("%w: size %dx%d outside %d..%d", analysis.ErrBadFrame, w, h, lo, hi)
	}
	if w*h > MaxPixels {
		return fmt.Errorf("%w: size %dx%d over %d pixels", analysis.ErrBadFrame, w, h, MaxPixels)
	}
	return nil
}

// Close releases libavcodec's context. It waits for a Decode in progress
// and is idempotent.
func (d *Decoder) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.c == nil {
		return nil
	}
	C.um_h264_free(d.c)
	d.c = nil
	return nil
}

// needKeyframe makes the decoder refuse non-IDR access units until an IDR,
// for an access unit its caller dropped unread.
func (d *Decoder) needKeyframe() {
	d.mu.Lock()
	d.needKey = true
	d.mu.Unlock()
}
