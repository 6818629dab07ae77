package record_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"

	"github.com/unmaskhq/unmask/testdata/clips"
)

// cacheDir holds test data made once per test binary (see TestMain).
var cacheDir string

// frame is one VP8 frame of a source clip.
type frame struct {
	data []byte
	key  bool
}

var (
	srcOnce   sync.Once
	srcFrames []frame
	srcErr    error
)

// sourceFrames returns the VP8 frames of the first 3 s of clips.Cap13,
// encoded at test time by ffmpeg (libvpx) into IVF and read with pion's
// ivfreader. bitrate "" keeps libvpx's default.
func sourceFrames(tb testing.TB) []frame {
	tb.Helper()
	srcOnce.Do(func() {
		srcFrames, srcErr = encodeClip(clips.Path(tb, clips.Cap13), filepath.Join(cacheDir, "src.ivf"), "")
	})
	if srcErr != nil {
		tb.Fatal(srcErr)
	}
	return srcFrames
}

// encodeClip encodes 3 s of clip to VP8 IVF at path and returns its frames.
func encodeClip(clip, path, bitrate string) ([]frame, error) {
	args := []string{"-v", "error", "-y", "-i", clip, "-t", "3", "-an", "-c:v", "libvpx"}
	if bitrate != "" {
		args = append(args, "-b:v", bitrate)
	}
	args = append(args, "-f", "ivf", path)
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		return nil, errors.New("ffmpeg: " + err.Error() + ": " + string(out))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, _, err := ivfreader.NewWith(f)
	if err != nil {
		return nil, err
	}
	var frames []frame
	for {
		b, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		frames = append(frames, frame{data: b, key: b[0]&1 == 0})
	}
	return frames, nil
}

var (
	speechOnce sync.Once
	speechPCM  []int16
	speechErr  error
)

// speech returns real synthetic speech: espeak-ng's output resampled by
// ffmpeg to 48 kHz mono 16-bit.
func speech(tb testing.TB) []int16 {
	tb.Helper()
	speechOnce.Do(func() {
		src := filepath.Join(cacheDir, "speech.wav")
		if out, err := exec.Command("espeak-ng", "-w", src,
			"The candidate joined the interview and answered the first question about distributed systems.").CombinedOutput(); err != nil {
			speechErr = errors.New("espeak-ng: " + err.Error() + ": " + string(out))
			return
		}
		raw := filepath.Join(cacheDir, "speech48k.s16")
		if out, err := exec.Command("ffmpeg", "-v", "error", "-y", "-i", src, "-ac", "1", "-ar", "48000",
			"-f", "s16le", "-c:a", "pcm_s16le", raw).CombinedOutput(); err != nil {
			speechErr = errors.New("ffmpeg: " + err.Error() + ": " + string(out))
			return
		}
		b, err := os.ReadFile(raw)
		if err != nil {
			speechErr = err
			return
		}
		speechPCM = make([]int16, len(b)/2)
		for i := range speechPCM {
			speechPCM[i] = int16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
		}
	})
	if speechErr != nil {
		tb.Fatal(speechErr)
	}
	return speechPCM
}

// toFloat converts 16-bit samples to float32 the usual way (s/32768).
func toFloat(s []int16) []float32 {
	f := make([]float32, len(s))
	for i, v := range s {
		f[i] = float32(v) / 32768
	}
	return f
}

// ivfFrame is a frame read back from a recorded IVF.
type ivfFrame struct {
	data []byte
	ms   uint64
}

// readIVF reads a recorded IVF with pion's ivfreader and returns its
// header and frames with timestamps converted back to milliseconds.
func readIVF(tb testing.TB, path string) (*ivfreader.IVFFileHeader, []ivfFrame) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, h, err := ivfreader.NewWith(f)
	if err != nil {
		tb.Fatalf("ivfreader: %v", err)
	}
	var out []ivfFrame
	for {
		b, fh, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("ivfreader frame %d: %v", len(out), err)
		}
		// ivfreader scales the stored timestamp by den/num; undo it.
		ms := fh.Timestamp * uint64(h.TimebaseNumerator) / uint64(h.TimebaseDenominator)
		out = append(out, ivfFrame{data: b, ms: ms})
	}
	return h, out
}

// readWAV decodes a WAV with go-audio/wav in chunks (PCMBuffer), as the
// analysis does.
func readWAV(tb testing.TB, path string) ([]int16, *audio.Format) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	d := wav.NewDecoder(f)
	if !d.IsValidFile() {
		// An empty data chunk makes IsValidFile false (zero duration);
		// check the header fields directly then.
		if d.Err() != nil {
			tb.Fatalf("wav: %v", d.Err())
		}
	}
	if d.SampleRate != 48000 || d.NumChans != 1 || d.BitDepth != 16 || d.WavAudioFormat != 1 {
		tb.Fatalf("wav format %d Hz %d ch %d bit fmt %d, want 48000 Hz mono 16-bit PCM",
			d.SampleRate, d.NumChans, d.BitDepth, d.WavAudioFormat)
	}
	if err := d.FwdToPCM(); err != nil {
		tb.Fatalf("wav: %v", err)
	}
	buf := &audio.IntBuffer{Data: make([]int, 8192)}
	var out []int16
	for {
		n, err := d.PCMBuffer(buf)
		if err != nil {
			tb.Fatalf("wav: %v", err)
		}
		if n == 0 {
			break
		}
		for _, v := range buf.Data[:n] {
			out = append(out, int16(v))
		}
	}
	return out, buf.Format
}

// ffprobe runs ffprobe with args and returns its trimmed stdout; any
// output on stderr fails the test (ffprobe -v error prints only errors).
func ffprobe(tb testing.TB, args ...string) string {
	tb.Helper()
	cmd := exec.Command("ffprobe", append([]string{"-v", "error"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		tb.Fatalf("ffprobe %v: %v: %s", args, err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// probeFrames decodes every frame of an IVF with ffprobe and returns the
// count.
func probeFrames(tb testing.TB, path string) int {
	tb.Helper()
	s := ffprobe(tb, "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path)
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatalf("ffprobe frame count %q: %v", s, err)
	}
	return n
}

// probeDuration returns the duration ffprobe gives a file, in seconds.
func probeDuration(tb testing.TB, path string) float64 {
	tb.Helper()
	s := ffprobe(tb, "-show_entries", "format=duration", "-of", "csv=p=0", path)
	d, err := strconv.ParseFloat(s, 64)
	if err != nil {
		tb.Fatalf("ffprobe duration %q: %v", s, err)
	}
	return d
}

// sha256File hashes a file independently of the package under test.
func sha256File(tb testing.TB, path string) (string, int64) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), int64(len(b))
}

// copySession copies a session's three files into a new directory: the
// on-disk state a crash at this moment would leave, without the live
// recorder's lock.
func copySession(tb testing.TB, dir string) string {
	tb.Helper()
	dst := tb.TempDir()
	for _, name := range []string{"session.json", "video.ivf", "audio.wav"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dst
}

// checkRoutines fails the test if a Recorder goroutine is still running
// shortly after it ends (pion's test.CheckRoutines idea).
func checkRoutines(tb testing.TB) {
	tb.Helper()
	tb.Cleanup(func() {
		deadline := time.Now().Add(3 * time.Second)
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			if !bytes.Contains(buf[:n], []byte("ingest/record.(*Recorder)")) {
				return
			}
			if time.Now().After(deadline) {
				tb.Errorf("goroutines of a Recorder still running:\n%s", buf[:n])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
