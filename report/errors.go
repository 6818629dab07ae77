package report

import "errors"

var (
	// ErrPastEnd is returned for a request whose frame the video does not
	// have (past its last frame, or negative).
	ErrPastEnd = errors.New("frame not in the video")
	// ErrNoFFmpeg is returned when a clip is wanted and the ffmpeg program
	// is not in PATH.
	ErrNoFFmpeg = errors.New("ffmpeg not found in PATH: install the ffmpeg package (apt-get install ffmpeg, brew install ffmpeg)")
)

var (
	errBadName  = errors.New("not a local file name")
	errTooLarge = errors.New("image too large for a thumbnail")
)
