package h264

import (
	"errors"
	"image"
	"io"

	"github.com/unmaskhq/unmask/ingest/ivf"
)

// IVFInfo describes an IVF file as OpenIVF found it. Picture is the size
// the first access unit's SPS declares (zero when it has none).
type IVFInfo = ivf.Info

// IVFStats counts what an IVFSource has read so far. Hidden counts access
// units without slices (ErrNoPicture, no error).
type IVFStats = ivf.Stats

// IVFOption configures OpenIVF.
type IVFOption = ivf.Option

// IVFSource replays the H.264 access units of an IVF file through a
// Decoder as analysis frames; see ivf.Source.
type IVFSource = ivf.Source

// WithTimebase makes one timestamp unit num/den seconds instead of what
// the header says; see ivf.WithTimebase.
func WithTimebase(num, den uint32) IVFOption { return ivf.WithTimebase(num, den) }

// ivfCodec is how the recorder stores H.264 in IVF: access units as
// received (Annex-B) under fourcc "H264", with a 1/1000 timebase.
var ivfCodec = ivf.Codec{
	Name:         "h264",
	FourCC:       "H264",
	MaxFrameSize: MaxFrameSize,
	NewDecoder: func() (ivf.Decoder, error) {
		d, err := NewDecoder()
		if err != nil {
			return nil, err
		}
		return replayDecoder{d}, nil
	},
	// A size of 0x0 means "see the SPS": a recorder of H.264 as received
	// does not parse it. Any other size must be sane.
	CheckSize: func(w, h int) error {
		if w == 0 && h == 0 {
			return nil
		}
		return checkSize(int64(w), int64(h))
	},
	Picture: pictureOf,
	// An access unit of parameter sets or SEI only is not a failure.
	NoPicture: func(au []byte, err error) bool {
		return errors.Is(err, ErrNoPicture) && !kindOf(au).slice
	},
}

// replayDecoder is a Decoder as an IVFSource drives it.
type replayDecoder struct{ *Decoder }

func (d replayDecoder) SkipToKeyframe() { d.needKeyframe() }

// OpenIVF opens the IVF file at path and checks its header: an error
// wrapping ErrNotIVF, ErrCodec or ErrBadHeader rejects it. It reads the
// first frame headers to estimate the frame rate. The caller must Close
// the source.
func OpenIVF(path string, opts ...IVFOption) (*IVFSource, error) {
	return ivf.Open(path, ivfCodec, opts...)
}

// newIVF reads an IVF stream from r, which it does not close.
func newIVF(r io.ReadSeeker, path string, opts ...IVFOption) (*IVFSource, error) {
	return ivf.New(r, path, ivfCodec, opts...)
}

// pictureOf returns the size the first valid SPS in au declares.
func pictureOf(au []byte) (p image.Point) {
	forEachNAL(au, func(nal []byte) bool {
		if nalType(nal) != nalSPS {
			return true
		}
		if w, h, err := spsSize(nal); err == nil && checkSize(w, h) == nil {
			p = image.Pt(int(w), int(h))
		}
		return false
	})
	return p
}
