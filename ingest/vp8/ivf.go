package vp8

import (
	"errors"
	"image"
	"io"

	"github.com/unmaskhq/unmask/ingest/ivf"
)

// IVFInfo describes an IVF file as OpenIVF found it. Picture is the size in
// the first frame's keyframe header; zero when the file does not start with
// a keyframe.
type IVFInfo = ivf.Info

// IVFStats counts what an IVFSource has read so far. Hidden counts frames
// not meant to be shown (ErrNoPicture).
type IVFStats = ivf.Stats

// IVFOption configures OpenIVF.
type IVFOption = ivf.Option

// IVFSource replays the VP8 frames of an IVF file through a Decoder as
// analysis frames; see ivf.Source.
type IVFSource = ivf.Source

// WithTimebase makes one timestamp unit num/den seconds instead of what the
// header says; see ivf.WithTimebase. pion's ivfwriter in its default mode
// needs WithTimebase(30, 1000).
func WithTimebase(num, den uint32) IVFOption { return ivf.WithTimebase(num, den) }

// ivfCodec is how an IVF file holds VP8 (fourcc VP80).
var ivfCodec = ivf.Codec{
	Name:         "vp8",
	FourCC:       "VP80",
	MaxFrameSize: MaxFrameSize,
	NewDecoder: func() (ivf.Decoder, error) {
		d, err := NewDecoder()
		if err != nil {
			return nil, err
		}
		return replayDecoder{d}, nil
	},
	CheckSize: checkSide,
	Picture: func(first []byte) image.Point {
		if h, _, err := parseHeader(first); err == nil && h.Keyframe {
			return image.Pt(h.Width, h.Height)
		}
		return image.Point{}
	},
	NoPicture: func(_ []byte, err error) bool { return errors.Is(err, ErrNoPicture) },
}

// replayDecoder is a Decoder as an IVFSource drives it.
type replayDecoder struct{ *Decoder }

func (d replayDecoder) SkipToKeyframe() { d.needKeyframe() }

// OpenIVF opens the IVF file at path and checks its header: an error
// wrapping ErrNotIVF, ErrCodec or ErrBadHeader rejects it. It reads the
// first frame headers to estimate the frame rate. The caller must Close the
// source.
func OpenIVF(path string, opts ...IVFOption) (*IVFSource, error) {
	return ivf.Open(path, ivfCodec, opts...)
}

// newIVF reads an IVF stream from r, which it does not close.
func newIVF(r io.ReadSeeker, path string, opts ...IVFOption) (*IVFSource, error) {
	return ivf.New(r, path, ivfCodec, opts...)
}
