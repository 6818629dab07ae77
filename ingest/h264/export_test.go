package h264

import (
	"io"

	"gocv.io/x/gocv"
)

// Reconvert converts d's last picture into dst again, to time the
// conversion alone.
func Reconvert(d *Decoder, dst *gocv.Mat) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.convert(dst)
}

// NewIVFReader opens an IVF stream held in r (not closed by Close).
func NewIVFReader(r io.ReadSeeker, opts ...IVFOption) (*IVFSource, error) {
	return newIVF(r, "reader", opts...)
}

// SPSSize exposes the SPS parser.
func SPSSize(nal []byte) (w, h int64, err error) { return spsSize(nal) }
