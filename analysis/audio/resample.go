package audio

import "math"

// Resampler design (Smith, "Digital Audio Resampling", ccrma.stanford.edu/~jos/resample,
// and Kaiser's window design formulas in Oppenheim & Schafer, Discrete-Time
// Signal Processing, 3rd ed., sec. 7.5.3):
//
//   - The interpolation kernel is a sinc whose cutoff is rolloff times the
//     lower of the two Nyquist frequencies, so downsampling is anti-aliased.
//   - It is windowed with a Kaiser window, beta 8.6: about 86 dB of stopband
//     attenuation (A = beta/0.1102 + 8.7).
//   - The kernel spans sincZeros zero crossings either side. With beta 8.6
//     the transition width is (A-7.95)/(14.36*2*sincZeros) = 0.085 of the
//     lower rate; rolloff 0.9 puts the passband edge at 0.45 of it and the
//     stopband edge at about 0.49, so at 16 kHz everything above 7.9 kHz is
//     down by more than 80 dB while 7.2 kHz passes.
const (
	sincZeros   = 32
	kaiserBeta  = 8.6
	rolloff     = 0.9
	maxPhases   = 4096 // phase table bound for awkward ratios (see Resample)
	dcTolerance = 1e-12
)

// Resample returns p converted to rate with a band-limited windowed-sinc
// (Kaiser) polyphase resampler, anti-aliased when downsampling. The output
// has round(len*rate/p.Rate) samples and is time-aligned with the input.
// For ratios whose reduced numerator exceeds 4096 the phase is rounded to
// the nearest of 4096 (a timing error under 1/8192 sample, below -75 dB).
// A non-positive rate on either side yields an empty PCM at rate. Resample
// does not retain p; the result never aliases p.Samples.
func Resample(p PCM, rate int) PCM {
	if p.Rate <= 0 || rate <= 0 {
		return PCM{Rate: rate}
	}
	if p.Rate == rate {
		return PCM{Rate: rate, Samples: append([]float32(nil), p.Samples...)}
	}
	g := gcd(p.Rate, rate)
	up, down := int64(rate/g), int64(p.Rate/g) // out[n] sits at input time n*down/up
	n := len(p.Samples)
	nOut := int((int64(n)*int64(rate) + int64(p.Rate)/2) / int64(p.Rate))
	out := make([]float32, nOut)
	if n == 0 {
		return PCM{Rate: rate, Samples: out}
	}

	scale := math.Min(1, float64(rate)/float64(p.Rate))
	fc := 0.5 * scale * rolloff        // cutoff, cycles per input sample
	half := float64(sincZeros) / scale // kernel half-width in input samples
	taps := 2 * int(math.Ceil(half))   // taps j = idx-h+1 .. idx+h
	h := taps / 2
	phases := up
	if phases > maxPhases {
		phases = maxPhases
	}
	i0b := besselI0(kaiserBeta)
	fill := func(row []float32, d float64) { // kernel taps for fractional offset d
		var sum float64
		for k := range row {
			x := d - float64(k-h+1) // distance from output time to input sample
			v := 0.0
			if r := x / half; r > -1 && r < 1 {
				v = 2 * fc * sinc(2*fc*x) * besselI0(kaiserBeta*math.Sqrt(1-r*r)) / i0b
			}
			row[k] = float32(v)
			sum += v
		}
		if math.Abs(sum) > dcTolerance { // unity gain at DC for every phase
			for k := range row {
				row[k] = float32(float64(row[k]) / sum)
			}
		}
	}
	// A phase table pays off only when there are more outputs than
	// phases; short inputs at awkward ratios compute each row directly.
	direct := int64(nOut) < phases
	var table []float32
	if direct {
		table = make([]float32, taps)
	} else {
		table = make([]float32, int(phases)*taps)
		for ph := 0; ph < int(phases); ph++ {
			fill(table[ph*taps:(ph+1)*taps], float64(ph)/float64(phases))
		}
	}

	x := p.Samples
	for i := range out {
		num := int64(i) * down
		idx := int(num / up)
		frac := num % up
		ph := frac
		if phases != up {
			ph = (frac*phases + up/2) / up
			if ph == phases {
				ph, idx = 0, idx+1
			}
		}
		var row []float32
		if direct {
			row = table
			fill(row, float64(frac)/float64(up))
		} else {
			row = table[int(ph)*taps : int(ph+1)*taps]
		}
		start := idx - h + 1
		var acc float32
		if start >= 0 && start+taps <= n {
			seg := x[start : start+taps]
			for k, c := range row {
				acc += c * seg[k]
			}
		} else {
			for k, c := range row {
				if j := start + k; j >= 0 && j < n {
					acc += c * x[j]
				}
			}
		}
		out[i] = clamp(acc)
	}
	return PCM{Rate: rate, Samples: out}
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// besselI0 is the zeroth-order modified Bessel function of the first kind,
// by its power series (converges quickly for the arguments used here).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 64; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// clamp limits v to [-1, 1] and maps NaN to 0.
func clamp(v float32) float32 {
	switch {
	case v > 1:
		return 1
	case v < -1:
		return -1
	case v != v:
		return 0
	}
	return v
}
