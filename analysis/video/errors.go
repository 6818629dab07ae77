package video

import "errors"

var (
	// ErrNotFound is returned when the path does not exist.
	ErrNotFound = errors.New("no such file")
	// ErrEmpty is returned for a file of zero bytes (a recording that never
	// received data, or a failed copy).
	ErrEmpty = errors.New("file is empty")
	// ErrNotVideo is returned when ffprobe cannot parse the file, when the
	// file has no video stream, when it is a still image, and for
	// directories and other non-regular files. The message carries ffprobe's
	// first error line when there is one.
	ErrNotVideo = errors.New("not a video")
	// ErrTooSmall is returned when a side of the video is below MinSide
	// pixels: no analysable face fits.
	ErrTooSmall = errors.New("video too small")
	// ErrTooLarge is returned when a side of the video is above MaxSide
	// pixels.
	ErrTooLarge = errors.New("video too large")
	// ErrNoFFprobe is returned when the ffprobe program is not in PATH.
	ErrNoFFprobe = errors.New("ffprobe not found in PATH: install the ffmpeg package (apt-get install ffmpeg, brew install ffmpeg)")
	// ErrClosed is returned by a FileSource's Read and Frames after Close.
	ErrClosed = errors.New("video source closed")
)

var (
	errNilFrame   = errors.New("nil frame")
	errProbeLimit = errors.New("ffprobe output too large")
)
