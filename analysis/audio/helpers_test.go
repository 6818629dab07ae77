package audio_test

import (
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/analysis/audio"
)

// Two utterances of real synthetic speech (espeak-ng), joined by silence
// in the VAD test.
const (
	speechA = "The quick brown fox jumps over the lazy dog while the interviewer takes notes."
	speechB = "Please tell me about a project you are proud of and what you learned from it."
)

// espeak writes text spoken by espeak-ng to a WAV in dir (22050 Hz, 16-bit mono).
func espeak(tb testing.TB, dir, name, text string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	run(tb, "espeak-ng", "-w", p, text)
	return p
}

// run runs a command and fails the test with its output on error.
func run(tb testing.TB, name string, args ...string) {
	tb.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s (run build/setup.sh)", name, args, err, out)
	}
}

// readWAV is audio.ReadWAV that fails the test on error.
func readWAV(tb testing.TB, path string) audio.PCM {
	tb.Helper()
	p, err := audio.ReadWAV(path)
	if err != nil {
		tb.Fatalf("ReadWAV(%s): %v", filepath.Base(path), err)
	}
	return p
}

// writeFile writes b to name in dir.
func writeFile(tb testing.TB, dir, name string, b []byte) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// wavBytes builds a canonical WAV file with the given fmt fields and data.
func wavBytes(tag, channels uint16, rate uint32, bits uint16, data []byte) []byte {
	align := channels * bits / 8
	b := make([]byte, 44, 44+len(data))
	le := binary.LittleEndian
	copy(b[0:], "RIFF")
	le.PutUint32(b[4:], uint32(36+len(data)))
	copy(b[8:], "WAVEfmt ")
	le.PutUint32(b[16:], 16)
	le.PutUint16(b[20:], tag)
	le.PutUint16(b[22:], channels)
	le.PutUint32(b[24:], rate)
	le.PutUint32(b[28:], rate*uint32(align))
	le.PutUint16(b[32:], align)
	le.PutUint16(b[34:], bits)
	copy(b[36:], "data")
	le.PutUint32(b[40:], uint32(len(data)))
	return append(b, data...)
}

// tone returns n samples of a sine of freq Hz and amplitude amp at rate.
func tone(rate int, freq, amp float64, n int) audio.PCM {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return audio.PCM{Rate: rate, Samples: s}
}

// correlation is Pearson's r of a and b over their common length.
func correlation(a, b []float64) float64 {
	n := min(len(a), len(b))
	var ma, mb float64
	for i := 0; i < n; i++ {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(n)
	mb /= float64(n)
	var sab, saa, sbb float64
	for i := 0; i < n; i++ {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// clipBelow returns env with values under its peak minus rangeDB raised to
// that level, so that the depth of digital silence does not dominate.
func clipBelow(env []float64, rangeDB float64) []float64 {
	peak := math.Inf(-1)
	for _, v := range env {
		peak = math.Max(peak, v)
	}
	out := make([]float64, len(env))
	for i, v := range env {
		out[i] = math.Max(v, peak-rangeDB)
	}
	return out
}

// checkFinite fails if any value is NaN or infinite.
func checkFinite[T float32 | float64](tb testing.TB, what string, xs []T) {
	tb.Helper()
	for i, v := range xs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			tb.Fatalf("%s[%d] = %v", what, i, v)
		}
	}
}

// rmsDB is the RMS level of s in dBFS.
func rmsDB(s []float32) float64 {
	var ss float64
	for _, v := range s {
		ss += float64(v) * float64(v)
	}
	return 10 * math.Log10(ss/float64(len(s))+1e-20)
}
