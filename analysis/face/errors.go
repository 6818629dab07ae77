package face

import "errors"

var (
	// ErrNotGray is returned when a stage that works on intensity gets an
	// image that is not 8-bit single-channel.
	ErrNotGray = errors.New("face: image is not 8-bit grayscale")
	// ErrClosed is returned by methods called after Close.
	ErrClosed = errors.New("face: closed")
	// ErrModel is returned when a model file cannot be loaded.
	ErrModel = errors.New("face: cannot load model")
)
