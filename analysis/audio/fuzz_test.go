package audio_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/analysis/audio"
)

// FuzzReadWAV feeds arbitrary bytes to ReadWAV through a file. It must not
// panic, must return one of the package's errors or valid PCM, and (since
// every size is checked against the file's) cannot allocate more than a
// small multiple of the input.
func FuzzReadWAV(f *testing.F) {
	f.Add(wavBytes(1, 1, 16000, 16, make([]byte, 64)))
	f.Add(wavBytes(1, 2, 44100, 24, make([]byte, 60)))
	f.Add(wavBytes(3, 1, 48000, 32, []byte{0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0x80, 0x3f})) // NaN, +Inf, 1
	f.Add(wavBytes(1, 8, 8000, 8, make([]byte, 64)))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVELIST\xff\xff\xff\xff"))
	f.Add([]byte("not a wav"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.wav")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		pcm, err := audio.ReadWAV(p)
		if err != nil {
			if !errors.Is(err, audio.ErrBadWAV) && !errors.Is(err, audio.ErrUnsupported) && !errors.Is(err, audio.ErrTooLong) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if pcm.Rate != audio.SampleRate || len(pcm.Samples) == 0 {
			t.Fatalf("ok result with rate %d and %d samples", pcm.Rate, len(pcm.Samples))
		}
		// 8-bit mono at 8 kHz is the worst expansion: 2 samples per byte.
		if len(pcm.Samples) > 2*len(data)+2 {
			t.Fatalf("%d samples from %d bytes", len(pcm.Samples), len(data))
		}
		for i, v := range pcm.Samples {
			if v != v || v > 1 || v < -1 {
				t.Fatalf("sample %d = %v", i, v)
			}
		}
	})
}
