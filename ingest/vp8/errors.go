package vp8

import (
	"errors"

	"github.com/unmaskhq/unmask/ingest/bgr"
	"github.com/unmaskhq/unmask/ingest/ivf"
)

var (
	// ErrClosed is returned by a Decoder or an IVFSource used after Close.
	ErrClosed = ivf.ErrClosed
	// ErrCorrupt is returned for frame data that is empty, too large, has a
	// malformed header (RFC 6386 §9.1), or that libvpx rejects or flags as
	// corrupted. The decoder then waits for a keyframe.
	ErrCorrupt = errors.New("corrupt VP8 frame")
	// ErrNeedKeyframe is returned by Decode for an inter frame while the
	// decoder has no valid reference: before the first keyframe and after
	// any error. The frame is not looked at; the caller should ask the sender
	// for a keyframe (RTCP PLI) and keep feeding frames.
	ErrNeedKeyframe = errors.New("keyframe needed")
	// ErrNoPicture is returned by Decode for a frame that decoded correctly
	// but is not meant to be shown (show_frame = 0, e.g. an alt-ref update).
	// It is not a failure: dst is untouched and the next frame decodes.
	ErrNoPicture = errors.New("frame has no picture to show")
	// ErrNotIVF is returned by OpenIVF for a file that is empty, shorter
	// than an IVF header, or lacks the DKIF signature or version 0.
	ErrNotIVF = ivf.ErrNotIVF
	// ErrBadHeader is returned by OpenIVF when the IVF header declares a
	// zero or out-of-range picture size or a zero timebase.
	ErrBadHeader = ivf.ErrBadHeader
	// ErrCodec is returned by OpenIVF when the IVF file holds another codec
	// than VP8 (fourcc other than VP80).
	ErrCodec = ivf.ErrCodec
	// ErrNoFrames is returned by IVFSource.Frames when the file ends without
	// a single decoded picture.
	ErrNoFrames = ivf.ErrNoFrames
)

var (
	errNilMat        = errors.New("nil destination Mat")
	errNotContinuous = bgr.ErrNotContinuous
	errInit          = errors.New("cannot create libvpx VP8 decoder")
)
