package camera

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Sizes and offsets of struct v4l2_capability (linux/videodev2.h):
//
//	__u8  driver[16];
//	__u8  card[32];
//	__u8  bus_info[32];
//	__u32 version;
//	__u32 capabilities;
//	__u32 device_caps;
//	__u32 reserved[3];
const (
	capabilitySize = 104

	offDriver       = 0
	offCard         = 16
	offBusInfo      = 48
	offVersion      = 80
	offCapabilities = 84
	offDeviceCaps   = 88
)

// Capability bits (linux/videodev2.h) that List uses.
const (
	capVideoCapture       = 0x00000001
	capVideoCaptureMplane = 0x00001000
	capDeviceCaps         = 0x80000000
)

// capability is a decoded struct v4l2_capability with its strings
// cleaned for display.
type capability struct {
	driver, card, busInfo string
	version               uint32
	capabilities          uint32
	deviceCaps            uint32
}

// caps returns the capabilities of the opened node: device_caps when the
// driver fills it (V4L2_CAP_DEVICE_CAPS), otherwise capabilities, which
// then describes the whole device.
func (c capability) caps() uint32 {
	if c.capabilities&capDeviceCaps != 0 {
		return c.deviceCaps
	}
	return c.capabilities
}

// canCapture reports whether the node captures video, single- or
// multi-planar.
func (c capability) canCapture() bool {
	return c.caps()&(capVideoCapture|capVideoCaptureMplane) != 0
}

// parseCapability decodes the bytes VIDIOC_QUERYCAP fills in, in the
// machine's byte order. b must be exactly capabilitySize bytes. The
// strings end at their first NUL (or at the end of their field when the
// driver filled it); invalid UTF-8 becomes U+FFFD, and control and
// invisible formatting characters are dropped, so the result is safe to
// show. parseCapability does not retain b.
func parseCapability(b []byte) (capability, error) {
	if len(b) != capabilitySize {
		return capability{}, fmt.Errorf("%w: %d bytes, want %d", errCapabilitySize, len(b), capabilitySize)
	}
	ne := binary.NativeEndian
	return capability{
		driver:       cString(b[offDriver:offCard]),
		card:         cString(b[offCard:offBusInfo]),
		busInfo:      cString(b[offBusInfo:offVersion]),
		version:      ne.Uint32(b[offVersion:]),
		capabilities: ne.Uint32(b[offCapabilities:]),
		deviceCaps:   ne.Uint32(b[offDeviceCaps:]),
	}, nil
}

// cString returns the text of a fixed-size C string field, cleaned.
func cString(field []byte) string {
	if i := strings.IndexByte(string(field), 0); i >= 0 {
		field = field[:i]
	}
	return cleanText(string(field))
}

// cleanText makes driver- or user-supplied text safe to show: runs of
// spaces and control characters become one space, leading and trailing
// ones go, invisible formatting characters (bidi overrides, zero-width
// joiners) are dropped and invalid UTF-8 becomes U+FFFD. It is
// idempotent.
func cleanText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// queryFunc returns the raw VIDIOC_QUERYCAP reply of the device node at
// path. List uses queryCapability; tests give it fake replies.
type queryFunc func(path string) ([]byte, error)

// queryCapability opens path read-only and non-blocking and issues
// VIDIOC_QUERYCAP. Errors wrap the errno (unix.EACCES, unix.ENOENT,
// unix.EBUSY, unix.ENOTTY for a file that is not a V4L2 device), so
// errors.Is with fs.ErrPermission and fs.ErrNotExist works too.
func queryCapability(path string) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer unix.Close(fd)

	buf := make([]byte, capabilitySize)
	for {
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), vidiocQuerycap, uintptr(unsafe.Pointer(&buf[0])))
		switch errno {
		case 0:
			return buf, nil
		case unix.EINTR:
			continue
		case unix.ENOTTY:
			return nil, fmt.Errorf("VIDIOC_QUERYCAP: not a V4L2 device: %w", errno)
		default:
			return nil, fmt.Errorf("VIDIOC_QUERYCAP: %w", errno)
		}
	}
}
