package h264

import (
	"errors"

	"github.com/unmaskhq/unmask/ingest/bgr"
	"github.com/unmaskhq/unmask/ingest/ivf"
)

var (
	// ErrClosed is returned by a Decoder or an IVFSource used after Close.
	ErrClosed = ivf.ErrClosed
	// ErrCorrupt is returned for an access unit that is empty, too large,
	// holds a malformed SPS, or that libavcodec rejects or decodes only with
	// concealed errors. The decoder then waits for an IDR.
	ErrCorrupt = errors.New("corrupt H.264 access unit")
	// ErrNeedKeyframe is returned by Decode for an access unit with non-IDR
	// slices while the decoder has no valid reference: before the first IDR
	// and after any error. It is not decoded; the caller should ask the
	// sender for a keyframe (RTCP PLI) and keep feeding access units.
	ErrNeedKeyframe = errors.New("keyframe (IDR) needed")
	// ErrNoPicture is returned by Decode when no picture came out of an
	// access unit. For one without slices (SPS, PPS or SEI only) it is not
	// a failure: the parameter sets are kept for the next IDR. For one with
	// slices (an IDR whose parameter sets never arrived, say) the decoder
	// waits for an IDR, as after an error.
	ErrNoPicture = errors.New("access unit gave no picture")
	// ErrNotIVF is returned by OpenIVF for a file that is empty, shorter
	// than an IVF header, or lacks the DKIF signature or version 0.
	ErrNotIVF = ivf.ErrNotIVF
	// ErrBadHeader is returned by OpenIVF when the IVF header declares a
	// zero timebase, or a picture size out of range.
	ErrBadHeader = ivf.ErrBadHeader
	// ErrCodec is returned by OpenIVF when the IVF file holds another codec
	// than H.264 (fourcc other than H264).
	ErrCodec = ivf.ErrCodec
	// ErrNoFrames is returned by IVFSource.Frames when the file ends without
	// a single decoded picture.
	ErrNoFrames = ivf.ErrNoFrames
)

var (
	errNilMat        = errors.New("nil destination Mat")
	errNotContinuous = bgr.ErrNotContinuous
	errInit          = errors.New("cannot create libavcodec H.264 decoder")
	errConvert       = errors.New("cannot convert the picture to BGR")
)
