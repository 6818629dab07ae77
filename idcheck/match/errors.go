package match

import "errors"

var (
	// ErrNoFace is returned when the region holds no face the detector
	// finds.
	ErrNoFace = errors.New("match: no face found")
	// ErrFaceTooSmall is returned when the face is too small to describe
	// reliably: fewer than MinFaceWidth pixels across in the image given.
	ErrFaceTooSmall = errors.New("match: face too small to compare")
	// ErrNoLive is returned by Decide without any live descriptor.
	ErrNoLive = errors.New("match: no live face to compare with")
	// ErrClosed is returned by methods called after Close.
	ErrClosed = errors.New("match: closed")
)
