package embed

import "errors"

var (
	// ErrLandmarks is returned when the landmarks are not the 68 finite
	// points of dlib's markup, or describe a degenerate face.
	ErrLandmarks = errors.New("embed: need 68 landmarks of a face")
	// ErrModel is returned when the network cannot be loaded or gives an
	// output of the wrong shape.
	ErrModel = errors.New("embed: cannot use the face-recognition model")
	// ErrClosed is returned by methods called after Close.
	ErrClosed = errors.New("embed: closed")
)
