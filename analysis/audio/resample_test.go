package audio_test

import (
	"math"
	"testing"

	"github.com/unmaskhq/unmask/analysis/audio"
)

// goertzel returns the amplitude of the freq Hz component of s (rate Hz).
func goertzel(s []float32, rate int, freq float64) float64 {
	w := 2 * math.Pi * freq / float64(rate)
	var re, im float64
	for i, v := range s {
		re += float64(v) * math.Cos(w*float64(i))
		im -= float64(v) * math.Sin(w*float64(i))
	}
	return 2 * math.Hypot(re, im) / float64(len(s))
}

// zeroCrossingFreq estimates the frequency of a sine from its rising zero
// crossings, interpolated between samples.
func zeroCrossingFreq(s []float32, rate int) float64 {
	var first, last float64
	n := 0
	for i := 1; i < len(s); i++ {
		if s[i-1] < 0 && s[i] >= 0 {
			t := float64(i-1) + float64(-s[i-1])/float64(s[i]-s[i-1])
			if n == 0 {
				first = t
			}
			last = t
			n++
		}
	}
	return float64(n-1) * float64(rate) / (last - first)
}

func TestResampleKeepsTone(t *testing.T) {
	tests := []struct{ from, to int }{{44100, 16000}, {48000, 16000}, {8000, 16000}, {22050, 16000}, {16000, 44100}, {44099, 16000}}
	for _, tt := range tests {
		in := tone(tt.from, 1000, 0.5, 2*tt.from)
		out := audio.Resample(in, tt.to)
		if out.Rate != tt.to {
			t.Fatalf("Rate = %d, want %d", out.Rate, tt.to)
		}
		if got, want := len(out.Samples), 2*tt.to; got != want {
			t.Errorf("%d->%d: %d samples, want %d", tt.from, tt.to, got, want)
		}
		// Skip the first and last 0.25 s (filter edges); 1 s is a whole
		// number of 1 kHz periods at every rate.
		mid := out.Samples[tt.to/4 : tt.to/4+tt.to]
		amp := goertzel(mid, tt.to, 1000)
		freq := zeroCrossingFreq(mid, tt.to)
		t.Logf("%d->%d Hz: amplitude %.5f (want 0.5), frequency %.3f Hz", tt.from, tt.to, amp, freq)
		if math.Abs(amp-0.5) > 0.005 {
			t.Errorf("%d->%d: amplitude %.5f, want 0.5 ± 1%%", tt.from, tt.to, amp)
		}
		if math.Abs(freq-1000) > 10 {
			t.Errorf("%d->%d: frequency %.3f Hz, want 1000 ± 1%%", tt.from, tt.to, freq)
		}
	}
}

func TestResampleAntiAlias(t *testing.T) {
	// Above the new Nyquist (8 kHz) a tone must not fold back into the
	// band: 10 kHz at 48 kHz would alias to 6 kHz, 9 kHz at 44.1 kHz to 7 kHz.
	tests := []struct {
		from       int
		freq       float64
		alias      float64
		minAttenDB float64
	}{
		{48000, 10000, 6000, 40},
		{44100, 9000, 7000, 40},
		{48000, 12000, 4000, 40},
	}
	for _, tt := range tests {
		in := tone(tt.from, tt.freq, 0.5, 2*tt.from)
		out := audio.Resample(in, 16000)
		mid := out.Samples[4000:20000]
		var worst float64
		for _, f := range []float64{tt.alias, tt.freq} {
			worst = math.Max(worst, goertzel(mid, 16000, f))
		}
		rms := math.Pow(10, rmsDB(mid)/20) * math.Sqrt2
		peak := math.Max(worst, rms)
		atten := 20 * math.Log10(0.5/peak)
		t.Logf("%.0f Hz at %d -> 16000: alias at %.0f Hz %.1f dB down, overall %.1f dB down",
			tt.freq, tt.from, tt.alias, 20*math.Log10(0.5/worst), atten)
		if atten < tt.minAttenDB {
			t.Errorf("%.0f Hz at %d: attenuated %.1f dB, want >= %.0f", tt.freq, tt.from, atten, tt.minAttenDB)
		}
	}
}

func TestResampleEdgeCases(t *testing.T) {
	if got := audio.Resample(audio.PCM{Rate: 0, Samples: []float32{1}}, 16000); len(got.Samples) != 0 {
		t.Errorf("rate 0 input: %d samples, want 0", len(got.Samples))
	}
	if got := audio.Resample(audio.PCM{Rate: 8000}, 16000); len(got.Samples) != 0 || got.Rate != 16000 {
		t.Errorf("empty input: %+v", got)
	}
	in := audio.PCM{Rate: 16000, Samples: []float32{0.1, 0.2}}
	out := audio.Resample(in, 16000)
	out.Samples[0] = 9
	if in.Samples[0] != 0.1 {
		t.Error("same-rate Resample aliases its input")
	}
	// Full-scale square wave: overshoot is clamped to [-1, 1].
	sq := make([]float32, 4800)
	for i := range sq {
		if i/24%2 == 0 {
			sq[i] = 1
		} else {
			sq[i] = -1
		}
	}
	for i, v := range audio.Resample(audio.PCM{Rate: 48000, Samples: sq}, 16000).Samples {
		if v > 1 || v < -1 {
			t.Fatalf("sample %d = %v outside [-1, 1]", i, v)
		}
	}
}
