package audio

import (
	"math"
	"time"
)

// DefaultHop is the envelope hop used when Envelope is given a
// non-positive one: 10 ms, the frame step of conventional speech front ends
// and fine enough for 25-30 fps video (3-4 hops per frame).
const DefaultHop = 10 * time.Millisecond

// Envelope band limits and floors.
const (
	// speechLow and speechHigh bound the telephone speech band (ITU-T
	// G.712, 300-3400 Hz), which holds the formant energy of voiced speech
	// and drops mains hum, rumble and hiss.
	speechLow  = 300.0
	speechHigh = 3400.0
	// SilenceDB is the level Envelope reports for a hop of digital
	// silence: 10*log10(1e-10), 4 dB below the quantisation floor of
	// 16-bit PCM (-96 dBFS), so no value is ever -Inf or NaN.
	SilenceDB = -100.0
	// syllableLow and syllableHigh bound the syllable rate. Mouth opening
	// and the acoustic envelope are most coherent at 2-7 Hz (Chandrasekaran
	// et al., "The natural statistics of audiovisual speech", PLoS Comput
	// Biol 2009); 8 Hz keeps fast speech.
	syllableLow  = 2.0
	syllableHigh = 8.0
	// syllableRange is how far below the envelope's peak SyllableEnvelope
	// clips levels, so that the depth of silences (digital zero versus room
	// noise) does not dominate the shape.
	syllableRange = 50.0
)

// Envelope returns the speech-band energy of p per hop, in dB relative to
// full scale: p is band-passed to 300-3400 Hz (two cascaded second-order
// Butterworth high-pass and low-pass sections, 24 dB/octave each side) and
// the RMS of each complete hop is taken. A non-positive hop means
// DefaultHop. Values are finite and at least SilenceDB. Envelope works at
// any rate (the low-pass edge is lowered below Nyquist if needed) and does
// not retain p.
func Envelope(p PCM, hop time.Duration) []float64 {
	if p.Rate <= 0 {
		return nil
	}
	return NewEnvelopeStream(p.Rate, hop).Push(p.Samples)
}

// EnvelopeStream computes Envelope over audio that arrives in pieces (a
// live call): the band-pass state and a partial hop carry over between
// pushes, so the concatenated output equals Envelope of the whole. It is
// not safe for concurrent use.
type EnvelopeStream struct {
	hs      int // samples per hop
	filters []biquad
	ss      float64 // sum of squares of the partial hop
	n       int     // samples in the partial hop
}

// NewEnvelopeStream starts an envelope at rate Hz (a non-positive rate is
// taken as 16 kHz) with the given hop (non-positive: DefaultHop).
func NewEnvelopeStream(rate int, hop time.Duration) *EnvelopeStream {
	if hop <= 0 {
		hop = DefaultHop
	}
	if rate <= 0 {
		rate = 16000
	}
	hs := int(math.Round(float64(rate) * hop.Seconds()))
	if hs < 1 {
		hs = 1
	}
	fs := float64(rate)
	hi := math.Min(speechHigh, 0.45*fs)
	return &EnvelopeStream{hs: hs, filters: []biquad{
		highPass(speechLow, fs), highPass(speechLow, fs),
		lowPass(hi, fs), lowPass(hi, fs),
	}}
}

// Push filters samples and returns the levels of the hops they complete
// (possibly none). It does not retain samples.
func (e *EnvelopeStream) Push(samples []float32) []float64 {
	out := make([]float64, 0, (e.n+len(samples))/e.hs)
	for _, s := range samples {
		v := float64(s)
		for k := range e.filters {
			v = e.filters[k].step(v)
		}
		e.ss += v * v
		e.n++
		if e.n == e.hs {
			out = append(out, powerDB(e.ss/float64(e.hs)))
			e.ss, e.n = 0, 0
		}
	}
	return out
}

// SyllableEnvelope returns the syllable-rate component of env (an Envelope
// computed with the given hop): levels are clipped to 50 dB below the
// peak, band-passed to 2-8 Hz with a zero-phase (forward-backward) filter
// so it is not delayed relative to the video, and normalised to zero mean
// and unit variance. This is the series lip-sync correlates with mouth
// opening. A flat envelope gives all zeros. It does not retain env.
func SyllableEnvelope(env []float64, hop time.Duration) []float64 {
	if hop <= 0 {
		hop = DefaultHop
	}
	out := make([]float64, len(env))
	if len(env) == 0 {
		return out
	}
	peak := math.Inf(-1)
	for _, v := range env {
		if v > peak && !math.IsNaN(v) {
			peak = v
		}
	}
	if math.IsInf(peak, 0) {
		return out
	}
	floor := peak - syllableRange
	var mean float64
	for i, v := range env {
		if math.IsNaN(v) || v < floor {
			v = floor
		}
		out[i] = v
		mean += v
	}
	mean /= float64(len(out))
	for i := range out {
		out[i] -= mean
	}
	fs := 1 / hop.Seconds()
	hi := math.Min(syllableHigh, 0.45*fs)
	design := func() []biquad { return []biquad{highPass(syllableLow, fs), lowPass(hi, fs)} }
	filtfilt(out, design)
	normalise(out)
	return out
}

// filtfilt filters x in place forwards then backwards through fresh
// filters from design, cancelling the phase delay.
func filtfilt(x []float64, design func() []biquad) {
	for pass := 0; pass < 2; pass++ {
		fs := design()
		for i := range x {
			v := x[i]
			for k := range fs {
				v = fs[k].step(v)
			}
			x[i] = v
		}
		for i, j := 0, len(x)-1; i < j; i, j = i+1, j-1 {
			x[i], x[j] = x[j], x[i]
		}
	}
}

// normalise scales x in place to zero mean and unit variance, or zeros it
// when its standard deviation is negligible.
func normalise(x []float64) {
	mean, sd := MeanStd(x)
	for i := range x {
		if sd < 1e-9 {
			x[i] = 0
		} else {
			x[i] = (x[i] - mean) / sd
		}
	}
}

// MeanStd returns the mean and the (population) standard deviation of x,
// or zeros for an empty x.
func MeanStd(x []float64) (mean, sd float64) {
	if len(x) == 0 {
		return 0, 0
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)))
}

// powerDB converts a mean square to dB, floored at SilenceDB.
func powerDB(ms float64) float64 {
	if !(ms > 1e-10) { // also catches NaN
		return SilenceDB
	}
	return 10 * math.Log10(ms)
}

// biquad is a second-order IIR section in transposed direct form II
// (coefficients from R. Bristow-Johnson's Audio EQ Cookbook).
type biquad struct {
	b0, b1, b2, a1, a2 float64
	z1, z2             float64
}

func (f *biquad) step(x float64) float64 {
	y := f.b0*x + f.z1
	f.z1 = f.b1*x - f.a1*y + f.z2
	f.z2 = f.b2*x - f.a2*y
	return y
}

// lowPass and highPass are Butterworth (Q = 1/sqrt 2) sections at f0 Hz.
func lowPass(f0, fs float64) biquad {
	w := 2 * math.Pi * f0 / fs
	alpha := math.Sin(w) / math.Sqrt2
	c := math.Cos(w)
	a0 := 1 + alpha
	return biquad{b0: (1 - c) / 2 / a0, b1: (1 - c) / a0, b2: (1 - c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0}
}

func highPass(f0, fs float64) biquad {
	w := 2 * math.Pi * f0 / fs
	alpha := math.Sin(w) / math.Sqrt2
	c := math.Cos(w)
	a0 := 1 + alpha
	return biquad{b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0}
}
