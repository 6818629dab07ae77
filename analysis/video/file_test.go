package video_test

import (
	"context"
	"errors"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// open opens path and closes it when the test ends.
func open(tb testing.TB, path string) *video.FileSource {
	tb.Helper()
	src, err := video.OpenFile(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { src.Close() })
	return src
}

// readAll reads every frame of src with Read into one reused Mat, checking
// sizes and that times strictly increase; it returns the frame times.
func readAll(tb testing.TB, src *video.FileSource) []time.Duration {
	tb.Helper()
	info := src.Info()
	f := analysis.Frame{Image: gocv.NewMat()}
	defer f.Close()
	var times []time.Duration
	for {
		err := src.Read(&f)
		if errors.Is(err, io.EOF) {
			return times
		}
		if err != nil {
			tb.Fatalf("frame %d: %v", len(times), err)
		}
		if f.Index != len(times) {
			tb.Fatalf("Index = %d, want %d", f.Index, len(times))
		}
		if w, h := f.Image.Cols(), f.Image.Rows(); w != info.Width || h != info.Height {
			tb.Fatalf("frame %d is %dx%d, want %dx%d", f.Index, w, h, info.Width, info.Height)
		}
		if n := len(times); n > 0 && f.Time <= times[n-1] {
			tb.Fatalf("frame %d: time %v after %v, want strictly increasing", f.Index, f.Time, times[n-1])
		}
		times = append(times, f.Time)
	}
}

func TestReadCap13(t *testing.T) {
	src := open(t, clips.Path(t, clips.Cap13))
	info := src.Info()
	times := readAll(t, src)

	want := int(math.Round(info.Duration.Seconds() * info.FPS)) // 30.6 s × 25
	if got := len(times); got != want {
		t.Errorf("read %d frames, want duration×fps = %d", got, want)
	}
	if times[0] != 0 {
		t.Errorf("first frame at %v, want 0", times[0])
	}
	// Frames are 40 ms apart at 25 fps, including the last few, for which
	// OpenCV gives no timestamp.
	for i := 1; i < len(times); i++ {
		if d := times[i] - times[i-1]; d != 40*time.Millisecond {
			t.Fatalf("frames %d-%d are %v apart, want 40ms", i-1, i, d)
		}
	}
	st := src.Stats()
	wantStats := video.Stats{FramesRead: int64(want), Expected: 765, EOF: true}
	if st != wantStats {
		t.Errorf("Stats = %+v, want %+v", st, wantStats)
	}
	f := analysis.Frame{}
	defer f.Close()
	if err := src.Read(&f); !errors.Is(err, io.EOF) {
		t.Errorf("Read after EOF = %v, want io.EOF", err)
	}
}

func TestReadReusesMat(t *testing.T) {
	src := open(t, clips.Path(t, clips.Cap12))
	f := analysis.Frame{} // Read makes the Mat
	defer f.Close()
	if err := src.Read(&f); err != nil {
		t.Fatal(err)
	}
	data, err := f.Image.DataPtrUint8() // a view of the Mat's pixels, not a copy
	if err != nil {
		t.Fatal(err)
	}
	ptr := &data[0]
	allocs := testing.AllocsPerRun(50, func() {
		if err := src.Read(&f); err != nil {
			t.Fatal(err)
		}
	})
	data, err = f.Image.DataPtrUint8()
	if err != nil {
		t.Fatal(err)
	}
	if &data[0] != ptr {
		t.Error("Read reallocated the pixels of the caller's Mat")
	}
	if allocs > 0 {
		t.Errorf("Read allocates %.1f times per frame, want 0", allocs)
	}
}

func TestTruncatedFaststart(t *testing.T) {
	dir := t.TempDir()
	full := testsrc(t, dir, "full.mp4", "320x240", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart")
	cut := halve(t, full, filepath.Join(dir, "cut.mp4"))

	src := open(t, cut)
	times := readAll(t, src)
	st := src.Stats()
	t.Logf("read %d of %d frames; stats %+v", len(times), st.Expected, st)
	if st.Expected != 100 || !st.Truncated || !st.EOF {
		t.Errorf("Stats = %+v, want Expected 100, Truncated, EOF", st)
	}
	if st.FramesRead == 0 || st.FramesRead >= 100 || st.FramesRead != int64(len(times)) {
		t.Errorf("FramesRead = %d (returned %d), want some but not all of 100", st.FramesRead, len(times))
	}
}

// TestContainers re-encodes the start of a real clip into other containers
// and codecs and reads them all.
func TestContainers(t *testing.T) {
	clip := clips.Path(t, clips.Cap13)
	dir := t.TempDir()
	tests := []struct {
		file  string
		codec string
		args  []string
	}{
		{"vp8.webm", "vp8", []string{"-c:v", "libvpx", "-b:v", "500k", "-deadline", "realtime", "-cpu-used", "8"}},
		{"vp9.webm", "vp9", []string{"-c:v", "libvpx-vp9", "-b:v", "500k", "-deadline", "realtime", "-cpu-used", "8"}},
		{"h264.mkv", "h264", []string{"-c:v", "libx264", "-preset", "ultrafast"}},
		{"mjpeg.avi", "mjpeg", []string{"-c:v", "mjpeg", "-q:v", "5"}},
		{"mpeg4.avi", "mpeg4", []string{"-c:v", "mpeg4", "-q:v", "5"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, tt.file)
			ffmpeg(t, append(append([]string{"-i", clip, "-t", "2", "-an"}, tt.args...), p)...)
			src := open(t, p)
			info := src.Info()
			if info.Codec != tt.codec || info.Width != 400 || info.Height != 300 || info.FPS != 25 {
				t.Errorf("Info = %+v, want %s 400x300 at 25 fps", info, tt.codec)
			}
			times := readAll(t, src)
			if len(times) != 50 {
				t.Errorf("read %d frames, want 50", len(times))
			}
			if st := src.Stats(); st.Truncated || st.Expected != 50 {
				t.Errorf("Stats = %+v, want Expected 50, not truncated", st)
			}
		})
	}
}

// TestTimestampReset reads two MPEG-TS files concatenated: the second
// restarts its clock at 0, yet frame times must keep increasing.
func TestTimestampReset(t *testing.T) {
	dir := t.TempDir()
	a := testsrc(t, dir, "a.ts", "160x120", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p")
	b := testsrc(t, dir, "b.ts", "160x120", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p")
	p := joinFiles(t, filepath.Join(dir, "ab.ts"), a, b) // byte concatenation, like `cat`
	src := open(t, p)
	times := readAll(t, src) // fails unless strictly increasing
	if len(times) != 50 {
		t.Fatalf("read %d frames, want 50", len(times))
	}
	if last := times[49]; last != 49*40*time.Millisecond {
		t.Errorf("last frame at %v, want 1.96s", last)
	}
}

func TestFrames(t *testing.T) {
	src := open(t, clips.Path(t, clips.Cap12))
	out := make(chan analysis.Frame, 4)
	errc := make(chan error, 1)
	go func() { errc <- src.Frames(context.Background(), out) }()
	n := 0
	for f := range out {
		if f.Index != n {
			t.Errorf("frame %d has Index %d", n, f.Index)
		}
		if err := f.Validate(); err != nil {
			t.Errorf("frame %d: %v", n, err)
		}
		if st := src.Stats(); st.FramesRead <= int64(n) { // concurrent with Frames
			t.Errorf("Stats().FramesRead = %d after receiving frame %d", st.FramesRead, n)
		}
		f.Close()
		n++
	}
	if err := <-errc; err != nil {
		t.Fatalf("Frames: %v", err)
	}
	if n != 1337 {
		t.Errorf("received %d frames, want 1337", n)
	}
}

func TestFramesCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	src := open(t, clips.Path(t, clips.Franck))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan analysis.Frame) // unbuffered: Frames blocks holding a frame
	errc := make(chan error, 1)
	go func() { errc <- src.Frames(ctx, out) }()
	for i := 0; i < 10; i++ {
		f := <-out
		f.Close()
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Frames = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Frames did not return after cancel")
	}
	for f := range out { // closed by Frames; anything left is ours to close
		f.Close()
	}
	if st := src.Stats(); st.FramesRead < 10 || st.FramesRead > 11 {
		t.Errorf("FramesRead = %d, want 10 or 11", st.FramesRead)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Frames returned, %d before", n, before)
	}
}

func TestClose(t *testing.T) {
	src, err := video.OpenFile(context.Background(), clips.Path(t, clips.Cap13))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := src.Close(); err != nil {
			t.Errorf("Close #%d = %v", i+1, err)
		}
	}
	f := analysis.Frame{}
	defer f.Close()
	if err := src.Read(&f); !errors.Is(err, video.ErrClosed) {
		t.Errorf("Read after Close = %v, want ErrClosed", err)
	}
	out := make(chan analysis.Frame)
	if err := src.Frames(context.Background(), out); !errors.Is(err, video.ErrClosed) {
		t.Errorf("Frames after Close = %v, want ErrClosed", err)
	}
	if _, ok := <-out; ok {
		t.Error("Frames left out open")
	}
	if err := src.Read(nil); err == nil {
		t.Error("Read(nil) succeeded")
	}
}

func BenchmarkRead(b *testing.B) {
	path := clips.Path(b, clips.Franck)
	src := open(b, path)
	f := analysis.Frame{Image: gocv.NewMat()}
	defer f.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := src.Read(&f)
		if errors.Is(err, io.EOF) { // 4800 frames; start again
			b.StopTimer()
			src.Close()
			src = open(b, path)
			b.StartTimer()
			err = src.Read(&f)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}
