package audio

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestTooLong lowers the duration limit to check that both readers refuse
// longer input with ErrTooLong instead of buffering it.
func TestTooLong(t *testing.T) {
	defer func(d time.Duration) { maxDuration = d }(maxDuration)
	maxDuration = 2 * time.Second
	dir := t.TempDir()
	wav := filepath.Join(dir, "tone.wav")
	mp4 := filepath.Join(dir, "tone.mp4")
	for _, args := range [][]string{
		{"-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-ar", "48000", wav},
		{"-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-c:a", "aac", mp4},
	} {
		if out, err := exec.Command("ffmpeg", append([]string{"-nostdin", "-v", "error", "-y"}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
	}
	if _, err := ReadWAV(wav); !errors.Is(err, ErrTooLong) {
		t.Errorf("ReadWAV: got %v, want ErrTooLong", err)
	}
	if _, err := Demux(context.Background(), mp4); !errors.Is(err, ErrTooLong) {
		t.Errorf("Demux: got %v, want ErrTooLong", err)
	}
	maxDuration = 10 * time.Second
	if _, err := ReadWAV(wav); err != nil {
		t.Errorf("ReadWAV under the limit: %v", err)
	}
	if _, err := os.Stat(wav); err != nil {
		t.Fatal(err)
	}
}

func TestLimitedBuffer(t *testing.T) {
	b := &limitedBuffer{limit: 4}
	b.Write([]byte("abc"))
	b.Write([]byte("defgh"))
	if got, want := b.String(), "abcd ... (4 bytes more)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
