package h264

import "bytes"

// NAL unit types (ITU-T H.264 Table 7-1) used in this package.
const (
	nalSlice    = 1  // coded slice of a non-IDR picture
	nalSliceDPA = 2  // slice data partition A (not in baseline)
	nalIDR      = 5  // coded slice of an IDR picture
	nalSPS      = 7  // sequence parameter set
	nalAUD      = 9  // access unit delimiter
	nalFiller   = 12 // filler data
)

var startCode = []byte{0, 0, 1}

// forEachNAL calls fn with each NAL unit of an Annex-B access unit, without
// its start code or trailing zero bytes, until fn returns false. Bytes
// before the first start code are ignored; empty NAL units are skipped.
func forEachNAL(au []byte, fn func(nal []byte) bool) {
	i := bytes.Index(au, startCode)
	if i < 0 {
		return
	}
	au = au[i+3:]
	for len(au) > 0 {
		end := bytes.Index(au, startCode)
		next := len(au)
		if end >= 0 {
			next = end + 3
		} else {
			end = len(au)
		}
		nal := au[:end]
		for len(nal) > 0 && nal[len(nal)-1] == 0 {
			nal = nal[:len(nal)-1] // the 4-byte start code's zero, trailing_zero_8bits
		}
		if len(nal) > 0 && !fn(nal) {
			return
		}
		au = au[next:]
	}
}

// nalType is the type in a NAL unit's header byte.
func nalType(nal []byte) int { return int(nal[0] & 0x1f) }

// auKind says what an access unit holds.
type auKind struct {
	idr   bool // an IDR slice
	slice bool // any slice (types 1-5)
}

func kindOf(au []byte) auKind {
	var k auKind
	forEachNAL(au, func(nal []byte) bool {
		switch t := nalType(nal); {
		case t == nalIDR:
			k.idr, k.slice = true, true
			return false
		case t >= nalSlice && t < nalIDR:
			k.slice = true
		}
		return true
	})
	return k
}

// IsKeyframe reports whether the Annex-B access unit au holds an IDR slice
// (NAL unit type 5), from which decoding can start. Recovery-point SEI
// (intra refresh) is not taken as a keyframe. It does not retain au.
func IsKeyframe(au []byte) bool { return kindOf(au).idr }
