//go:build !linux && !windows && !darwin

package camera

import "runtime"

// List is not implemented on this system: it returns an error wrapping
// ErrUnsupported. (FreeBSD's webcamd offers V4L2 nodes like Linux's, but
// without sysfs the Linux walk does not apply.)
func List(cfg Config) ([]Camera, error) {
	return nil, errUnsupported(runtime.GOOS, "no camera listing exists for it")
}
