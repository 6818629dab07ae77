package vp8

import "fmt"

// keyframeStartCode follows the 3-byte frame tag of every keyframe
// (RFC 6386 §9.1).
var keyframeStartCode = [3]byte{0x9d, 0x01, 0x2a}

// Header is what the first bytes of a VP8 frame say (RFC 6386 §9.1).
type Header struct {
	Keyframe      bool
	Version       int  // 0-3: reconstruction filter and loop filter type
	Show          bool // show_frame: false for frames only updating references
	FirstPartSize int  // bytes of the first partition after the header
	// Width and Height are the picture size; keyframes only (0 otherwise).
	Width, Height int
}

// ParseHeader reads the frame tag and, for keyframes, the start code and
// picture size. It returns an error wrapping ErrCorrupt when frame is too
// short for its header, a keyframe lacks the start code, or the first
// partition extends beyond the frame. It does not retain frame.
func ParseHeader(frame []byte) (Header, error) {
	h, rest, err := parseHeader(frame)
	if err != nil {
		return Header{}, err
	}
	if h.FirstPartSize > rest {
		return Header{}, fmt.Errorf("%w: first partition of %d bytes in %d", ErrCorrupt, h.FirstPartSize, rest)
	}
	return h, nil
}

// parseHeader parses the header in the first bytes of a frame and returns
// how many bytes follow it.
func parseHeader(frame []byte) (h Header, rest int, err error) {
	if len(frame) < 3 {
		return Header{}, 0, fmt.Errorf("%w: %d bytes, shorter than the frame tag", ErrCorrupt, len(frame))
	}
	tag := uint32(frame[0]) | uint32(frame[1])<<8 | uint32(frame[2])<<16
	h = Header{
		Keyframe:      tag&1 == 0,
		Version:       int(tag>>1) & 7,
		Show:          tag>>4&1 == 1,
		FirstPartSize: int(tag >> 5),
	}
	rest = len(frame) - 3
	if h.Keyframe {
		if len(frame) < 10 {
			return Header{}, 0, fmt.Errorf("%w: keyframe of %d bytes, shorter than its header", ErrCorrupt, len(frame))
		}
		if [3]byte(frame[3:6]) != keyframeStartCode {
			return Header{}, 0, fmt.Errorf("%w: keyframe start code % x", ErrCorrupt, frame[3:6])
		}
		// The top two bits of each side are an upscaling hint for display.
		h.Width = int(uint16(frame[6])|uint16(frame[7])<<8) & 0x3fff
		h.Height = int(uint16(frame[8])|uint16(frame[9])<<8) & 0x3fff
		rest = len(frame) - 10
	}
	return h, rest, nil
}

// IsKeyframe reports whether frame starts with a well-formed keyframe
// header. It does not retain frame.
func IsKeyframe(frame []byte) bool {
	h, err := ParseHeader(frame)
	return err == nil && h.Keyframe
}
