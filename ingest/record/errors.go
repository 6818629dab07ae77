package record

import "errors"

var (
	// ErrExists is returned by Create when the directory already holds a
	// session (a manifest, a video.ivf or an audio.wav): a recording is
	// never overwritten or appended to.
	ErrExists = errors.New("record: directory already holds a session")
	// ErrNotSession is returned by Recover, ReadManifest and Verify for a
	// directory that holds neither a session manifest nor both media files.
	ErrNotSession = errors.New("record: not a session directory")
	// ErrCorrupt is returned when a session file is damaged beyond what
	// Recover repairs (a wrong IVF or WAV header, an unreadable manifest,
	// a missing media file). Recover leaves such a directory untouched.
	ErrCorrupt = errors.New("record: session file corrupt")
	// ErrBusy is returned by Recover when a live Recorder (in this or
	// another process) still holds the session.
	ErrBusy = errors.New("record: session is still being recorded")
	// ErrClosed is returned by writes and SetDeviceFacts after Close.
	ErrClosed = errors.New("record: recorder closed")
	// ErrStopped is returned by every write once recording has stopped
	// because of ErrSizeCap or a failed disk write; the error also wraps
	// that cause. The files keep everything written before the stop and
	// Close still finalises them.
	ErrStopped = errors.New("record: recording stopped")
	// ErrSizeCap is the cause of a stop when the media files would grow
	// past Config.MaxBytes (or the WAV format's 4 GiB limit).
	ErrSizeCap = errors.New("record: size cap reached")
	// ErrFrameTooLarge is returned by WriteVideo for a frame over
	// MaxFrameSize. The frame is not recorded; recording goes on.
	ErrFrameTooLarge = errors.New("record: video frame too large")
	// ErrEmptyFrame is returned by WriteVideo for an empty frame (IVF has
	// no way to store one). Recording goes on.
	ErrEmptyFrame = errors.New("record: empty video frame")
	// ErrInvalidReason is returned by Close for an end reason that is not
	// a short lower-case token, or that is "recovered" (kept for Recover).
	ErrInvalidReason = errors.New("record: invalid end reason")
	// ErrInvalidFacts is returned by SetDeviceFacts for bytes that are not
	// one JSON value or are larger than MaxDeviceFacts.
	ErrInvalidFacts = errors.New("record: device facts are not valid JSON")
	// ErrMismatch is returned by Verify when a media file's size or
	// SHA-256 differs from the manifest.
	ErrMismatch = errors.New("record: file does not match the manifest")
)
