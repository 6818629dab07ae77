package vp8

import (
	"io"

	"gocv.io/x/gocv"
)

// SetCConvert makes d convert every picture in C instead of with OpenCV,
// so that tests and benchmarks can compare the two.
func SetCConvert(d *Decoder, on bool) {
	d.mu.Lock()
	d.forceC = on
	d.mu.Unlock()
}

// NewIVFReader opens an IVF stream held in r (not closed by Close), so the
// fuzzer needs no file per input.
func NewIVFReader(r io.ReadSeeker, opts ...IVFOption) (*IVFSource, error) {
	return newIVF(r, "reader", opts...)
}

// Reconvert converts d's last picture into dst again, to time the
// conversion alone.
func Reconvert(d *Decoder, dst *gocv.Mat) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.convert(dst, d.w, d.h)
}
