package audio

import "errors"

// ErrNoAudio is returned by Demux when the input has no audio stream (or
// its audio stream decodes to no samples).
var ErrNoAudio = errors.New("audio: no audio stream")

// ErrTooLong is returned when a recording is longer than MaxDuration; the
// samples are not kept, so memory stays bounded.
var ErrTooLong = errors.New("audio: recording longer than MaxDuration")

// ErrBadWAV is returned by ReadWAV for a file that is not a well-formed
// WAV: not RIFF/WAVE, a corrupt or missing fmt chunk (0 channels, 0 bits,
// absurd rate, inconsistent block alignment), a missing or empty data
// chunk, or a data chunk larger than the file (truncated).
var ErrBadWAV = errors.New("audio: bad WAV file")

// ErrUnsupported is returned by ReadWAV for a well-formed WAV whose
// encoding this package cannot decode (compressed formats, 64-bit float,
// more than 8 channels, a rate outside 8..192 kHz); the message names it.
var ErrUnsupported = errors.New("audio: unsupported WAV encoding")

// ErrFFmpeg is returned by Demux when ffmpeg or ffprobe fails for another
// reason; the error carries the command's (truncated) stderr.
var ErrFFmpeg = errors.New("audio: ffmpeg failed")
