package audio_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis/audio"
)

func TestReadWAVVariants(t *testing.T) {
	dir := t.TempDir()
	src := espeak(t, dir, "speech.wav", speechA)
	ref := readWAV(t, src)
	if ref.Rate != audio.SampleRate {
		t.Fatalf("Rate = %d, want %d", ref.Rate, audio.SampleRate)
	}
	refEnv := clipBelow(audio.Envelope(ref, 0), 50)
	t.Logf("reference: %v, %d samples", ref.Duration(), len(ref.Samples))

	type variant struct {
		name string
		cmd  []string // sox or ffmpeg arguments after the input, with OUT as placeholder
		tool string
	}
	sox := func(name string, args ...string) variant {
		return variant{name: name, tool: "sox", cmd: args}
	}
	ffm := func(name string, args ...string) variant {
		return variant{name: name, tool: "ffmpeg", cmd: args}
	}
	variants := []variant{
		// -D: no dither, so silences stay digital silence at every depth.
		sox("8k", "-D", "-r", "8000", "-b", "16"),
		sox("16k", "-D", "-r", "16000", "-b", "16"),
		sox("22k05", "-D", "-r", "22050", "-b", "16"),
		sox("44k1", "-D", "-r", "44100", "-b", "16"),
		sox("48k", "-D", "-r", "48000", "-b", "16"),
		sox("96k", "-D", "-r", "96000", "-b", "16"),
		sox("stereo", "-D", "-r", "48000", "-c", "2", "-b", "16"),
		sox("6ch", "-D", "-r", "48000", "-c", "6", "-b", "16"),
		sox("u8", "-D", "-r", "22050", "-b", "8", "-e", "unsigned-integer"),
		sox("s24", "-D", "-r", "48000", "-b", "24", "-e", "signed-integer"),
		sox("s32", "-D", "-r", "44100", "-b", "32", "-e", "signed-integer"),
		sox("f32", "-D", "-r", "48000", "-b", "32", "-e", "floating-point"),
		sox("f32-stereo-96k", "-D", "-r", "96000", "-c", "2", "-b", "32", "-e", "floating-point"),
		// ffmpeg writes a LIST chunk before data, exercising chunk skipping.
		ffm("ffmpeg-s24-44k1-stereo", "-ar", "44100", "-ac", "2", "-c:a", "pcm_s24le"),
		ffm("ffmpeg-f32-8ch", "-ar", "48000", "-ac", "8", "-c:a", "pcm_f32le"),
	}
	maxDiff := 0
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			out := filepath.Join(dir, v.name+".wav")
			if v.tool == "sox" {
				run(t, "sox", append(append([]string{src}, v.cmd...), out)...)
			} else {
				run(t, "ffmpeg", append(append([]string{"-nostdin", "-v", "error", "-y", "-i", src}, v.cmd...), out)...)
			}
			got := readWAV(t, out)
			checkFinite(t, "samples", got.Samples)
			if got.Rate != audio.SampleRate {
				t.Errorf("Rate = %d, want %d", got.Rate, audio.SampleRate)
			}
			// Same duration within one 10 ms envelope frame.
			diff := len(got.Samples) - len(ref.Samples)
			maxDiff = max(maxDiff, diff, -diff)
			if hop := audio.SampleRate / 100; diff > hop || diff < -hop {
				t.Errorf("%d samples, want %d ± %d", len(got.Samples), len(ref.Samples), hop)
			}
			// sox copies mono to every channel, so the average keeps the
			// level; ffmpeg's upmix pans it (-3 dB stereo, centre only for
			// 8 channels), so only sox variants are level-checked.
			if g, w := rmsDB(got.Samples), rmsDB(ref.Samples); v.tool == "sox" && (g-w > 1 || w-g > 1) {
				t.Errorf("level %.2f dBFS, want %.2f ± 1 (channels mixed down by averaging)", g, w)
			}
			env := clipBelow(audio.Envelope(got, 0), 50)
			if r := correlation(env, refEnv); r < 0.9 {
				t.Errorf("envelope correlation with the reference = %.3f, want >= 0.9", r)
			} else {
				t.Logf("duration %v (%+d samples), envelope r = %.4f", got.Duration(), diff, r)
			}
		})
	}
	t.Logf("largest length difference: %d samples", maxDiff)
}

func TestReadWAVErrors(t *testing.T) {
	dir := t.TempDir()
	good := wavBytes(1, 1, 16000, 16, make([]byte, 3200))
	corrupt := func(off int, b ...byte) []byte {
		c := append([]byte(nil), good...)
		copy(c[off:], b)
		return c
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty file", nil, audio.ErrBadWAV},
		{"text file", []byte("this is not audio, just a text file named .wav\n"), audio.ErrBadWAV},
		{"bad magic", corrupt(0, 'R', 'I', 'F', 'X'), audio.ErrBadWAV},
		{"zero channels", corrupt(22, 0, 0), audio.ErrBadWAV},
		{"zero bits", corrupt(34, 0, 0), audio.ErrBadWAV},
		{"zero rate", corrupt(24, 0, 0, 0, 0), audio.ErrBadWAV},
		{"absurd rate", corrupt(24, 0xff, 0xff, 0xff, 0xff), audio.ErrBadWAV},
		{"bad block align", corrupt(32, 7, 0), audio.ErrBadWAV},
		{"huge fmt chunk", corrupt(16, 0xff, 0xff, 0xff, 0x7f), audio.ErrBadWAV},
		{"zero-length data", wavBytes(1, 1, 16000, 16, nil), audio.ErrBadWAV},
		{"truncated", good[:len(good)/2], audio.ErrBadWAV},
		{"data larger than file", corrupt(40, 0xff, 0xff, 0xff, 0x7f), audio.ErrBadWAV},
		{"header only", good[:44], audio.ErrBadWAV},
		{"no data chunk", good[:36], audio.ErrBadWAV},
		{"mu-law", wavBytes(7, 1, 8000, 8, make([]byte, 800)), audio.ErrUnsupported},
		{"64-bit float", wavBytes(3, 1, 16000, 64, make([]byte, 8000)), audio.ErrUnsupported},
		{"16 channels", wavBytes(1, 16, 16000, 16, make([]byte, 3200)), audio.ErrUnsupported},
		{"4 kHz", wavBytes(1, 1, 4000, 16, make([]byte, 800)), audio.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, "x.wav", tt.data)
			_, err := audio.ReadWAV(p)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadWAV: got %v, want %v", err, tt.want)
			}
			t.Logf("%v", err)
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, err := audio.ReadWAV(filepath.Join(dir, "nope.wav"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("got %v, want ErrNotExist", err)
		}
	})
}

func TestReadWAVFloat64Sox(t *testing.T) {
	// A real 64-bit float file (sox writes WAVE_FORMAT_EXTENSIBLE) is
	// refused by name: go-audio/wav v1.1.0 decodes at most 32 bits.
	dir := t.TempDir()
	src := espeak(t, dir, "s.wav", "hello")
	out := filepath.Join(dir, "f64.wav")
	run(t, "sox", src, "-b", "64", "-e", "floating-point", out)
	_, err := audio.ReadWAV(out)
	if !errors.Is(err, audio.ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
	t.Log(err)
}

func TestReadWAVSilence(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "silence.wav", wavBytes(1, 2, 44100, 16, make([]byte, 44100*4*3)))
	pcm := readWAV(t, p)
	if got, want := pcm.Duration(), 3*time.Second; got != want {
		t.Errorf("Duration = %v, want %v", got, want)
	}
	checkFinite(t, "samples", pcm.Samples)
	env := audio.Envelope(pcm, 0)
	checkFinite(t, "envelope", env)
	syl := audio.SyllableEnvelope(env, 0)
	checkFinite(t, "syllable envelope", syl)
	for i, v := range audio.VAD(env) {
		if v {
			t.Fatalf("VAD[%d] = true on silence", i)
		}
	}
}
