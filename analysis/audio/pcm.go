package audio

import "time"

// SampleRate is the rate, in Hz, of the PCM that Demux and ReadWAV return:
// 16 kHz covers the telephone speech band (300-3400 Hz, ITU-T G.712) with
// room to spare and is what speech front ends conventionally use.
const SampleRate = 16000

// MaxDuration is the longest recording Demux and ReadWAV accept. Four hours
// of 16 kHz float32 mono is about 0.9 GB; anything longer is refused with
// ErrTooLong instead of being buffered.
const MaxDuration = 4 * time.Hour

// maxDuration is MaxDuration, a variable so that tests can lower it.
var maxDuration = MaxDuration

// PCM is mono audio: Samples in [-1, 1] at Rate samples per second.
type PCM struct {
	Rate    int
	Samples []float32
}

// Duration returns the length of p; zero when p.Rate is not positive.
func (p PCM) Duration() time.Duration {
	if p.Rate <= 0 {
		return 0
	}
	return time.Duration(len(p.Samples)) * time.Second / time.Duration(p.Rate)
}

// maxSamples returns how many samples at rate fit in maxDuration.
func maxSamples(rate int) int64 {
	return int64(maxDuration/time.Second) * int64(rate)
}
