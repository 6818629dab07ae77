package camera

import "errors"

// ErrUnsupported is wrapped by the error List returns on systems where
// listing cameras is not implemented (all but Linux for now). It also
// matches errors.ErrUnsupported.
var ErrUnsupported error = unsupportedError{}

// errCapabilitySize is returned by parseCapability for a buffer that is
// not exactly one struct v4l2_capability.
var errCapabilitySize = errors.New("camera: VIDIOC_QUERYCAP reply has the wrong size")

type unsupportedError struct{}

func (unsupportedError) Error() string {
	return "camera: listing cameras is not supported on this system"
}

func (unsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }
