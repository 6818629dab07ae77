package audio_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/unmaskhq/unmask/analysis/audio"
)

func TestVADFindsInsertedSilence(t *testing.T) {
	dir := t.TempDir()
	a := readWAV(t, espeak(t, dir, "a.wav", speechA))
	b := readWAV(t, espeak(t, dir, "b.wav", speechB))
	const hop = audio.SampleRate / 100 // samples per 10 ms hop
	gap := make([]float32, audio.SampleRate)
	joined := append(append(append([]float32(nil), a.Samples...), gap...), b.Samples...)

	for _, noiseDB := range []float64{math.Inf(-1), -55} {
		t.Run("noise "+dbName(noiseDB), func(t *testing.T) {
			s := append([]float32(nil), joined...)
			if !math.IsInf(noiseDB, -1) { // white noise over everything
				rng := rand.New(rand.NewPCG(1, 2))
				sd := math.Pow(10, noiseDB/20)
				for i := range s {
					s[i] += float32(rng.NormFloat64() * sd)
				}
			}
			env := audio.Envelope(audio.PCM{Rate: audio.SampleRate, Samples: s}, 0)
			checkFinite(t, "envelope", env)
			vad := audio.VAD(env)
			if len(vad) != len(env) {
				t.Fatalf("len(VAD) = %d, want %d", len(vad), len(env))
			}
			silFrom, silTo := len(a.Samples)/hop+1, (len(a.Samples)+len(gap))/hop
			inactive := 0
			for _, v := range vad[silFrom:silTo] {
				if !v {
					inactive++
				}
			}
			fracSil := float64(inactive) / float64(silTo-silFrom)
			// Spoken hops: from the first to the last hop whose clean level
			// is within 40 dB of the utterance's peak (espeak pads each
			// utterance with silence).
			spoken, active := 0, 0
			for _, r := range [][2]int{speechSpan(a.Samples, 0), speechSpan(b.Samples, len(a.Samples)+len(gap))} {
				for i := r[0] / hop; i < r[1]/hop && i < len(vad); i++ {
					spoken++
					if vad[i] {
						active++
					}
				}
			}
			fracSpeech := float64(active) / float64(spoken)
			t.Logf("silence: %.1f%% of %d hops inactive; speech: %.1f%% of %d hops active",
				100*fracSil, silTo-silFrom, 100*fracSpeech, spoken)
			if fracSil < 0.8 {
				t.Errorf("only %.1f%% of the silent hops inactive, want >= 80%%", 100*fracSil)
			}
			if fracSpeech < 0.8 {
				t.Errorf("only %.1f%% of the spoken hops active, want >= 80%%", 100*fracSpeech)
			}
		})
	}
}

func dbName(db float64) string {
	if math.IsInf(db, -1) {
		return "none"
	}
	return "-55dBFS"
}

// speechSpan returns the sample range [from, to) of s, offset by off, from
// the first to the last 10 ms block within 40 dB of the loudest block.
func speechSpan(s []float32, off int) [2]int {
	const blk = audio.SampleRate / 100
	var lv []float64
	peak := math.Inf(-1)
	for i := 0; i+blk <= len(s); i += blk {
		l := rmsDB(s[i : i+blk])
		lv = append(lv, l)
		peak = math.Max(peak, l)
	}
	first, last := -1, -1
	for i, l := range lv {
		if l > peak-40 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return [2]int{off + first*blk, off + (last+1)*blk}
}

func TestSyllableEnvelope(t *testing.T) {
	dir := t.TempDir()
	a := readWAV(t, espeak(t, dir, "a.wav", speechA))
	b := readWAV(t, espeak(t, dir, "b.wav", speechB))
	envA := audio.Envelope(a, 0)
	sylA := audio.SyllableEnvelope(envA, 0)
	checkFinite(t, "syllable envelope", sylA)
	if len(sylA) != len(envA) {
		t.Fatalf("len = %d, want %d", len(sylA), len(envA))
	}
	if mean, sd := audio.MeanStd(sylA); math.Abs(mean) > 1e-6 || math.Abs(sd-1) > 1e-6 {
		t.Errorf("mean %.3g sd %.6f, want 0 and 1", mean, sd)
	}
	// Syllable-rate content: most of the power between 2 and 8 Hz, found
	// by a DFT of the 100 Hz series.
	inBand, total := 0.0, 0.0
	n := len(sylA)
	for k := 1; k < n/2; k++ {
		f := float64(k) * 100 / float64(n)
		var re, im float64
		for i, v := range sylA {
			re += v * math.Cos(2*math.Pi*float64(k*i)/float64(n))
			im -= v * math.Sin(2*math.Pi*float64(k*i)/float64(n))
		}
		p := re*re + im*im
		total += p
		if f >= 1.5 && f <= 10 {
			inBand += p
		}
	}
	t.Logf("%.1f%% of the syllable envelope's power lies in 1.5-10 Hz", 100*inBand/total)
	if inBand/total < 0.8 {
		t.Errorf("only %.1f%% of power in 1.5-10 Hz, want >= 80%%", 100*inBand/total)
	}
	// Zero phase: delaying the audio by 100 ms delays the syllable
	// envelope by 10 hops, so the best lag is exactly 10.
	shifted := append(make([]float32, audio.SampleRate/10), a.Samples...)
	sylS := audio.SyllableEnvelope(audio.Envelope(audio.PCM{Rate: audio.SampleRate, Samples: shifted}, 0), 0)
	best, bestR := 0, -2.0
	for lag := 0; lag <= 20; lag++ {
		if r := correlation(sylS[lag:], sylA); r > bestR {
			best, bestR = lag, r
		}
	}
	if best != 10 {
		t.Errorf("best lag %d hops (r=%.3f), want 10", best, bestR)
	}
	// A different sentence is not similar: the measure discriminates.
	sylB := audio.SyllableEnvelope(audio.Envelope(b, 0), 0)
	if r := correlation(sylA, sylB); r > 0.5 {
		t.Errorf("different sentences correlate at %.3f, want < 0.5", r)
	} else {
		t.Logf("different sentences: r = %.3f", r)
	}
}

func TestEnvelopeEdgeCases(t *testing.T) {
	if got := audio.Envelope(audio.PCM{}, 0); got != nil {
		t.Errorf("rate 0: %v, want nil", got)
	}
	if got := audio.Envelope(audio.PCM{Rate: 16000, Samples: make([]float32, 100)}, 0); len(got) != 0 {
		t.Errorf("under one hop: %d values, want 0", len(got))
	}
	// A 1 kHz tone at 0.5 amplitude: RMS 0.354, -9.03 dBFS, inside the band.
	env := audio.Envelope(tone(16000, 1000, 0.5, 16000), 0)
	if got := env[len(env)/2]; math.Abs(got-(-9.03)) > 0.5 {
		t.Errorf("1 kHz tone: %.2f dB, want -9.03 ± 0.5", got)
	}
	// 50 Hz hum is outside the speech band.
	env = audio.Envelope(tone(16000, 50, 0.5, 16000), 0)
	if got := env[len(env)/2]; got > -9.03-40 {
		t.Errorf("50 Hz hum: %.2f dB, want at least 40 dB below the in-band tone", got)
	}
	if got := audio.VAD(nil); len(got) != 0 {
		t.Errorf("VAD(nil) = %v", got)
	}
	if got := audio.VAD([]float64{math.NaN(), math.NaN()}); got[0] || got[1] {
		t.Errorf("VAD(NaN) = %v, want all false", got)
	}
	syl := audio.SyllableEnvelope([]float64{math.NaN(), -20, -20}, 0)
	checkFinite(t, "syllable envelope", syl)
}

// A live call delivers audio in packets of any length: the streamed
// envelope must equal the one computed over the whole recording.
func TestEnvelopeStreamMatchesWhole(t *testing.T) {
	p := readWAV(t, espeak(t, t.TempDir(), "s.wav", speechA))
	whole := audio.Envelope(p, 0)
	if len(whole) < 50 {
		t.Fatalf("speech gives %d hops, want a few seconds", len(whole))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	st := audio.NewEnvelopeStream(p.Rate, 0)
	var got []float64
	for rest := p.Samples; len(rest) > 0; {
		n := min(len(rest), 1+rng.IntN(700)) // 1..700 samples, not hop-aligned
		got = append(got, st.Push(rest[:n])...)
		rest = rest[n:]
	}
	if len(got) != len(whole) {
		t.Fatalf("streamed %d hops, whole %d", len(got), len(whole))
	}
	for i := range got {
		if math.Abs(got[i]-whole[i]) > 1e-9 {
			t.Fatalf("hop %d: streamed %.6f dB, whole %.6f dB", i, got[i], whole[i])
		}
	}
}
