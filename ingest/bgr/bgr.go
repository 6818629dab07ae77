// Package bgr prepares the Mats that the video decoders (packages vp8 and
// h264) write their pictures into.
package bgr

import (
	"errors"

	"gocv.io/x/gocv"
)

// ErrNotContinuous is returned for a destination Mat whose rows are not
// contiguous in memory (a Region view), which a decoder cannot write into.
var ErrNotContinuous = errors.New("destination Mat is not continuous (a Region view?)")

// Ensure makes dst a continuous w×h CV_8UC3 Mat, reallocating only when
// its size or type differs; a zero or closed *dst is replaced by a new Mat
// that the caller then owns. Copying a new Mat into dst reallocates dst's
// own cv::Mat, so copies of the caller's gocv.Mat value stay valid.
func Ensure(dst *gocv.Mat, w, h int) error {
	if dst.Ptr() == nil {
		*dst = gocv.NewMatWithSize(h, w, gocv.MatTypeCV8UC3)
		return nil
	}
	if dst.Rows() != h || dst.Cols() != w || dst.Type() != gocv.MatTypeCV8UC3 {
		tmp := gocv.NewMatWithSize(h, w, gocv.MatTypeCV8UC3)
		tmp.CopyTo(dst)
		tmp.Close()
	}
	if !dst.IsContinuous() {
		return ErrNotContinuous
	}
	return nil
}
