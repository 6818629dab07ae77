package ivf

import "errors"

var (
	// ErrNotIVF is returned by Open for a file that is empty, shorter than
	// an IVF header, or lacks the DKIF signature or version 0.
	ErrNotIVF = errors.New("not an IVF file")
	// ErrBadHeader is returned by Open when the IVF header declares a zero
	// timebase or a picture size the codec refuses.
	ErrBadHeader = errors.New("bad IVF header")
	// ErrCodec is returned by Open when the file's fourcc is not the
	// codec's.
	ErrCodec = errors.New("IVF file holds another codec")
	// ErrNoFrames is returned by Source.Frames when the file ends without a
	// single decoded picture.
	ErrNoFrames = errors.New("no decodable frame")
	// ErrClosed is returned by a Source used after Close. Package vp8 and
	// h264 decoders return it too, so that Source can tell it apart.
	ErrClosed = errors.New("closed")
)
