package audio_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis/audio"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// muxSpeech writes an mp4 of the first dur of the real clip Cap13 with the
// espeak speech as its AAC audio track (padded with silence to dur).
func muxSpeech(tb testing.TB, dir string, wav string, dur string) string {
	tb.Helper()
	out := filepath.Join(dir, "talk.mp4")
	run(tb, "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", clips.Path(tb, clips.Cap13), "-i", wav,
		"-map", "0:v:0", "-map", "1:a:0", "-t", dur, "-c:v", "copy", "-c:a", "aac", "-af", "apad", out)
	return out
}

func TestDemux(t *testing.T) {
	dir := t.TempDir()
	wav := espeak(t, dir, "speech.wav", speechA)
	ref := readWAV(t, wav)
	mp4 := muxSpeech(t, dir, wav, "10")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("audio track", func(t *testing.T) {
		got, err := audio.Demux(ctx, mp4)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rate != audio.SampleRate {
			t.Errorf("Rate = %d, want %d", got.Rate, audio.SampleRate)
		}
		if d := got.Duration(); d < 9900*time.Millisecond || d > 10100*time.Millisecond {
			t.Errorf("Duration = %v, want 10 s", d)
		}
		checkFinite(t, "samples", got.Samples)
		// The speech survives AAC: envelopes agree with the WAV's. AAC's
		// encoder delay is absorbed by searching a small lag.
		refEnv := clipBelow(audio.Envelope(ref, 0), 50)
		env := clipBelow(audio.Envelope(got, 0), 50)
		best, bestLag := -2.0, 0
		for lag := 0; lag <= 10; lag++ {
			if r := correlation(env[lag:len(refEnv)], refEnv); r > best {
				best, bestLag = r, lag
			}
		}
		t.Logf("demuxed %v; envelope r = %.4f at lag %d hops", got.Duration(), best, bestLag)
		if best < 0.9 {
			t.Errorf("envelope correlation %.3f, want >= 0.9", best)
		}
		vad := audio.VAD(audio.Envelope(got, 0))
		tail := 0 // the padding after the speech (from 5 s) is silence
		for _, v := range vad[500:] {
			if v {
				tail++
			}
		}
		if tail > 20 {
			t.Errorf("%d active hops in the padded silence", tail)
		}
	})
	t.Run("no audio", func(t *testing.T) {
		_, err := audio.Demux(ctx, clips.Path(t, clips.Cap13))
		if !errors.Is(err, audio.ErrNoAudio) {
			t.Fatalf("got %v, want ErrNoAudio", err)
		}
		t.Log(err)
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := audio.Demux(ctx, filepath.Join(dir, "missing.mp4"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("got %v, want ErrNotExist", err)
		}
		t.Log(err)
	})
	t.Run("not media", func(t *testing.T) {
		p := writeFile(t, dir, "notes.mp4", []byte("plain text, not a video"))
		_, err := audio.Demux(ctx, p)
		if !errors.Is(err, audio.ErrFFmpeg) {
			t.Fatalf("got %v, want ErrFFmpeg", err)
		}
		t.Log(err)
	})
	t.Run("odd name", func(t *testing.T) {
		// A name with a colon and a leading dash is still a plain file.
		p := filepath.Join(dir, "-concat:x.mp4")
		if err := os.Link(mp4, p); err != nil {
			t.Fatal(err)
		}
		if _, err := audio.Demux(ctx, p); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		c, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := audio.Demux(c, mp4); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
}
