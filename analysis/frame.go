package analysis

import (
	"fmt"
	"time"

	"gocv.io/x/gocv"
)

// Frame size limits. Below MinFrameSide no face can be analysed; above
// MaxFrameSide a hostile or broken stream could exhaust memory.
const (
	MinFrameSide = 32
	MaxFrameSide = 8192
)

// Frame is one decoded video frame in BGR (CV_8UC3).
//
// The holder of a Frame owns Image and must call Close exactly once it is
// done; stages that receive a Frame on a channel own it from then on.
type Frame struct {
	Index int           // 0-based position in the source
	Time  time.Duration // presentation time from the source's clock
	Image gocv.Mat
}

// Close releases the frame's Mat. Close is idempotent.
func (f *Frame) Close() error {
	if f == nil {
		return nil
	}
	return f.Image.Close()
}

// Validate reports ErrBadFrame unless Image is a non-empty 8-bit BGR image
// whose sides lie in [MinFrameSide, MaxFrameSide].
func (f *Frame) Validate() error {
	return ValidateBGR(f.Image)
}

// ValidateBGR reports ErrBadFrame unless m is a non-empty CV_8UC3 image whose
// sides lie in [MinFrameSide, MaxFrameSide].
func ValidateBGR(m gocv.Mat) error {
	if m.Ptr() == nil || m.Empty() {
		return fmt.Errorf("%w: empty image", ErrBadFrame)
	}
	if m.Type() != gocv.MatTypeCV8UC3 {
		return fmt.Errorf("%w: type %v, want CV_8UC3", ErrBadFrame, m.Type())
	}
	w, h := m.Cols(), m.Rows()
	if w < MinFrameSide || h < MinFrameSide || w > MaxFrameSide || h > MaxFrameSide {
		return fmt.Errorf("%w: size %dx%d outside %d..%d", ErrBadFrame, w, h, MinFrameSide, MaxFrameSide)
	}
	return nil
}
