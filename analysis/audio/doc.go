// Package audio turns the sound of a recording into the signals the
// analysers use: mono PCM at 16 kHz, a speech-band energy envelope, its
// syllable-rate component (which lip-sync correlates with mouth opening) and
// voice activity.
//
// Sources are WAV files (ReadWAV, decoded with github.com/go-audio/wav after
// this package has validated the RIFF structure itself) and any container
// ffmpeg can read (Demux, which runs the ffmpeg CLI over a pipe). Both
// return mono float32 samples in [-1, 1] resampled to SampleRate with a
// band-limited windowed-sinc resampler (Resample).
//
// Ownership and concurrency: every function here is pure or owns its own
// process and file handles; none retains its arguments, and all are safe
// for concurrent use. Inputs are bounded: a recording longer than
// MaxDuration is refused with ErrTooLong before its samples are held, so a
// hostile file cannot exhaust memory. Errors wrap the exported ErrX values
// in errors.go with the path and the step that failed; nothing panics.
package audio
