package vp8_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pion/webrtc/v4/pkg/media/ivfwriter"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/ingest/vp8"
	"github.com/unmaskhq/unmask/internal/ingesttest"
)

// IVFSource is an analysis source.
var _ pipeline.Source = (*vp8.IVFSource)(nil)

// ivfBytes builds an IVF file of frames at 25 fps (timebase 1/25).
func ivfBytes(frames [][]byte) []byte {
	b := ingesttest.IVFHeader("VP80", 400, 300, fixtureFPS, 1, uint32(len(frames)))
	for i, f := range frames {
		b = append(b, ingesttest.IVFFrame(uint64(i), f)...)
	}
	return b
}

// collected is what Frames sent and returned.
type collected struct {
	index []int
	times []time.Duration
	sizes []image.Point
	err   error
}

// collect runs src.Frames to the end, closing every frame it receives.
func collect(tb testing.TB, src *vp8.IVFSource) collected {
	tb.Helper()
	out := make(chan analysis.Frame)
	done := make(chan error, 1)
	go func() { done <- src.Frames(context.Background(), out) }()
	var c collected
	for f := range out {
		if err := f.Validate(); err != nil {
			tb.Errorf("frame %d: %v", f.Index, err)
		}
		c.index = append(c.index, f.Index)
		c.times = append(c.times, f.Time)
		c.sizes = append(c.sizes, image.Pt(f.Image.Cols(), f.Image.Rows()))
		f.Close()
	}
	c.err = <-done
	return c
}

// openIVF opens path and closes the source when tb ends.
func openIVF(tb testing.TB, path string, opts ...vp8.IVFOption) *vp8.IVFSource {
	tb.Helper()
	src, err := vp8.OpenIVF(path, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { src.Close() })
	return src
}

func TestIVFSourceRealFootage(t *testing.T) {
	fx := clipFixture(t)
	src := openIVF(t, fx.ivf)
	info := src.Info()
	want := vp8.IVFInfo{Path: fx.ivf, Width: 400, Height: 300, Picture: image.Pt(400, 300), Frames: len(fx.frames), TimebaseNum: 1, TimebaseDen: fixtureFPS, FPS: fixtureFPS}
	if info != want {
		t.Errorf("Info() = %+v, want %+v", info, want)
	}
	c := collect(t, src)
	if c.err != nil {
		t.Fatal(c.err)
	}
	if len(c.index) != len(fx.frames) {
		t.Fatalf("%d frames, want %d", len(c.index), len(fx.frames))
	}
	for i := range c.index {
		if c.index[i] != i || c.times[i] != time.Duration(i)*40*time.Millisecond || c.sizes[i] != image.Pt(400, 300) {
			t.Fatalf("frame %d: index %d time %v size %v", i, c.index[i], c.times[i], c.sizes[i])
		}
	}
	st := src.Stats()
	if want := (vp8.IVFStats{FramesRead: int64(len(fx.frames)), Decoded: int64(len(fx.frames)), EOF: true}); st != want {
		t.Errorf("Stats() = %+v, want %+v", st, want)
	}
}

// TestIVFSourcePipeline runs the source through the analysis pipeline,
// which closes every frame it receives.
func TestIVFSourcePipeline(t *testing.T) {
	src := openIVF(t, clipFixture(t).ivf)
	n := 0
	res, err := pipeline.Run(context.Background(), src, countAnalyzer{&n}, nil, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames != len(clipFixture(t).frames) || n != res.Frames {
		t.Errorf("pipeline saw %d frames, analysed %d, want %d", res.Frames, n, len(clipFixture(t).frames))
	}
}

type countAnalyzer struct{ n *int }

func (a countAnalyzer) Analyze(f *analysis.Frame) (analysis.FrameResult, error) {
	*a.n++
	return analysis.FrameResult{Index: f.Index, Time: f.Time}, f.Validate()
}

// writePion records fx through RTP with pion's ivfwriter, as the ingest
// side records a call.
func writePion(tb testing.TB, fx *fixture, opts ...ivfwriter.Option) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "pion.ivf")
	w, err := ivfwriter.New(p, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	for _, pk := range packetize(tb, fx.frames, stream{mtu: 1200, seq: 65000, ts: 1 << 31, ssrc: 3}) {
		if err := w.WriteRTP(pk.Packet); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestIVFSourcePionWriter(t *testing.T) {
	fx := clipFixture(t)
	tests := []struct {
		name    string
		writer  []ivfwriter.Option
		opts    []vp8.IVFOption
		size    image.Point   // header size
		slack   time.Duration // timestamp quantisation of the writer
		wantFPS float64
	}{
		{
			name:    "direct pts, 90 kHz",
			writer:  []ivfwriter.Option{ivfwriter.WithCodec("video/VP8"), ivfwriter.WithWidthAndHeight(400, 300), ivfwriter.WithFrameRate(1, rtpClock), ivfwriter.WithDirectPTS()},
			size:    image.Pt(400, 300),
			wantFPS: fixtureFPS,
		},
		{
			name:    "default mode, corrected",
			writer:  []ivfwriter.Option{ivfwriter.WithCodec("video/VP8")},
			opts:    []vp8.IVFOption{vp8.WithTimebase(30, 1000)},
			size:    image.Pt(640, 480), // pion's default, whatever the video
			slack:   30 * time.Millisecond,
			wantFPS: fixtureFPS,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := openIVF(t, writePion(t, fx, tt.writer...), tt.opts...)
			info := src.Info()
			if got := image.Pt(info.Width, info.Height); got != tt.size || info.Picture != image.Pt(400, 300) {
				t.Errorf("header size %v, picture %v; want %v, 400x300", got, info.Picture, tt.size)
			}
			if info.Frames != len(fx.frames) {
				t.Errorf("Frames = %d, want %d", info.Frames, len(fx.frames))
			}
			if d := info.FPS - tt.wantFPS; d < -0.5 || d > 0.5 {
				t.Errorf("FPS = %.2f, want %.0f", info.FPS, tt.wantFPS)
			}
			c := collect(t, src)
			if c.err != nil || len(c.index) != len(fx.frames) {
				t.Fatalf("%d frames, err %v; want %d", len(c.index), c.err, len(fx.frames))
			}
			for i, got := range c.times {
				want := time.Duration(i) * 40 * time.Millisecond
				if got < want-tt.slack || got > want+tt.slack {
					t.Fatalf("frame %d at %v, want %v ± %v", i, got, want, tt.slack)
				}
			}
		})
	}
}

func TestOpenIVFErrors(t *testing.T) {
	fx := clipFixture(t)
	body := ingesttest.IVFFrame(0, fx.frames[0])
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"empty file", nil, vp8.ErrNotIVF},
		{"short header", ingesttest.IVFHeader("VP80", 400, 300, 25, 1, 1)[:31], vp8.ErrNotIVF},
		{"bad signature", append([]byte("RIFF"), ingesttest.IVFHeader("VP80", 400, 300, 25, 1, 1)[4:]...), vp8.ErrNotIVF},
		{"version 1", func() []byte { b := ingesttest.IVFHeader("VP80", 400, 300, 25, 1, 1); b[4] = 1; return b }(), vp8.ErrNotIVF},
		{"VP9", append(ingesttest.IVFHeader("VP90", 400, 300, 25, 1, 1), body...), vp8.ErrCodec},
		{"AV1", append(ingesttest.IVFHeader("AV01", 400, 300, 25, 1, 1), body...), vp8.ErrCodec},
		{"zero width", append(ingesttest.IVFHeader("VP80", 0, 300, 25, 1, 1), body...), vp8.ErrBadHeader},
		{"zero height", append(ingesttest.IVFHeader("VP80", 400, 0, 25, 1, 1), body...), vp8.ErrBadHeader},
		{"tiny", append(ingesttest.IVFHeader("VP80", 16, 16, 25, 1, 1), body...), vp8.ErrBadHeader},
		{"huge", append(ingesttest.IVFHeader("VP80", 9000, 300, 25, 1, 1), body...), vp8.ErrBadHeader},
		{"zero timebase rate", append(ingesttest.IVFHeader("VP80", 400, 300, 0, 1, 1), body...), vp8.ErrBadHeader},
		{"zero timebase scale", append(ingesttest.IVFHeader("VP80", 400, 300, 25, 0, 1), body...), vp8.ErrBadHeader},
		{"an mp4", func() []byte { b, _ := os.ReadFile(fx.source); return b }(), vp8.ErrNotIVF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := vp8.OpenIVF(ingesttest.WriteFile(t, dir, "x.ivf", tt.data))
			if err == nil {
				src.Close()
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
		})
	}
	if _, err := vp8.OpenIVF(filepath.Join(dir, "missing.ivf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := vp8.OpenIVF(dir); !errors.Is(err, vp8.ErrNotIVF) {
		t.Errorf("directory: %v, want ErrNotIVF", err)
	}
	// Zero frames in the header is "unknown" (a crashed recorder), not an error.
	src, err := vp8.OpenIVF(ingesttest.WriteFile(t, dir, "count.ivf", append(ingesttest.IVFHeader("VP80", 400, 300, 25, 1, 0), body...)))
	if err != nil {
		t.Fatalf("frame count 0: %v", err)
	}
	src.Close()
}

// TestIVFSourceTruncated cuts the file at several places: the frames before
// the cut come out and the stream ends without error, unless none is left.
func TestIVFSourceTruncated(t *testing.T) {
	fx := clipFixture(t)
	full, err := os.ReadFile(fx.ivf)
	if err != nil {
		t.Fatal(err)
	}
	n := len(fx.frames)
	lastStart := len(full) - 12 - len(fx.frames[n-1])
	tests := []struct {
		name   string
		size   int
		frames int
		err    error
	}{
		{"inside the last frame", len(full) - 100, n - 1, nil},
		{"last frame's header cut", lastStart + 5, n - 1, nil},
		{"only the header", 32, 0, vp8.ErrNoFrames},
		{"inside the first frame", 32 + 12 + 100, 0, vp8.ErrNoFrames},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := openIVF(t, ingesttest.WriteFile(t, dir, "cut.ivf", full[:tt.size]))
			c := collect(t, src)
			if !errors.Is(c.err, tt.err) {
				t.Fatalf("err = %v, want %v", c.err, tt.err)
			}
			if len(c.index) != tt.frames {
				t.Errorf("%d frames, want %d", len(c.index), tt.frames)
			}
			st := src.Stats()
			if !st.EOF || st.Truncated != (tt.size != 32) {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// TestIVFSourceDamaged damages frames inside the file: they are skipped and
// counted, decoding resumes at the next keyframe, and indices keep the
// frames' positions in the file.
func TestIVFSourceDamaged(t *testing.T) {
	fx := clipFixture(t)
	keys := keyframes(fx.frames)
	garbage := bytes.Repeat([]byte{0xa5}, 500)
	replace := func(at int, with []byte) [][]byte {
		f := append([][]byte(nil), fx.frames...)
		f[at] = with
		return f
	}
	cut := append([]byte(nil), fx.frames[10][:len(fx.frames[10])/3]...)
	huge := make([]byte, vp8.MaxFrameSize+1)
	allBad := make([][]byte, 30)
	for i := range allBad {
		allBad[i] = garbage
	}
	tests := []struct {
		name    string
		frames  [][]byte
		damaged int // first frame that must not come out; -1 none
		err     error
	}{
		{"inter frame cut short", replace(10, cut), 10, nil},
		{"garbage inter frame", replace(10, garbage), 10, nil},
		{"empty frame", replace(10, nil), 10, nil},
		{"frame over MaxFrameSize", replace(10, huge), 10, nil},
		{"first keyframe garbage", replace(0, garbage), 0, nil},
		{"nothing decodes", allBad, 0, vp8.ErrNoFrames},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := openIVF(t, ingesttest.WriteFile(t, dir, "damaged.ivf", ivfBytes(tt.frames)))
			c := collect(t, src)
			if !errors.Is(c.err, tt.err) {
				t.Fatalf("err = %v, want %v", c.err, tt.err)
			}
			if tt.err != nil {
				return
			}
			next := len(tt.frames)
			for _, k := range keys {
				if k > tt.damaged {
					next = k
					break
				}
			}
			var want []int
			for i := range tt.frames {
				if i < tt.damaged || i >= next {
					want = append(want, i)
				}
			}
			if len(c.index) != len(want) {
				t.Fatalf("indices %v, want %v", c.index, want)
			}
			for i := range want {
				if c.index[i] != want[i] || c.times[i] != time.Duration(want[i])*40*time.Millisecond {
					t.Fatalf("frame %d: index %d at %v, want %d", i, c.index[i], c.times[i], want[i])
				}
			}
			st := src.Stats()
			if st.Skipped != int64(next-tt.damaged) || st.FramesRead != int64(len(tt.frames)) {
				t.Errorf("stats %+v, want %d skipped of %d", st, next-tt.damaged, len(tt.frames))
			}
		})
	}
}

// TestIVFSourceHiddenFrame checks a frame with show_frame cleared is
// counted as hidden, not skipped, and breaks nothing after it.
func TestIVFSourceHiddenFrame(t *testing.T) {
	fx := clipFixture(t)
	frames := append([][]byte(nil), fx.frames[:10]...)
	frames[5] = append([]byte(nil), frames[5]...)
	frames[5][0] &^= 0x10
	src := openIVF(t, ingesttest.WriteFile(t, t.TempDir(), "hidden.ivf", ivfBytes(frames)))
	c := collect(t, src)
	if c.err != nil || len(c.index) != 9 {
		t.Fatalf("%d frames, err %v; want 9", len(c.index), c.err)
	}
	if st := src.Stats(); st.Hidden != 1 || st.Skipped != 0 || st.Decoded != 9 {
		t.Errorf("stats %+v, want 1 hidden, 9 decoded", st)
	}
}

// TestIVFSourceTimestamps damages timestamps in the middle of a 25 fps
// file: a repeat, a step back, and two absurd values. Each is placed one
// frame interval after the previous frame, so times stay i×40 ms.
func TestIVFSourceTimestamps(t *testing.T) {
	fx := clipFixture(t)
	b := ingesttest.IVFHeader("VP80", 400, 300, fixtureFPS, 1, 0)
	for i, f := range fx.frames[:20] {
		pts := uint64(i)
		switch i {
		case 10:
			pts = 9
		case 11:
			pts = 5
		case 12:
			pts = 1 << 63 // negative when taken as a difference
		case 13:
			pts = 1 << 62 // beyond maxSeconds
		}
		b = append(b, ingesttest.IVFFrame(pts, f)...)
	}
	src := openIVF(t, ingesttest.WriteFile(t, t.TempDir(), "ts.ivf", b))
	c := collect(t, src)
	if c.err != nil || len(c.times) != 20 {
		t.Fatalf("%d frames, err %v", len(c.times), c.err)
	}
	for i, got := range c.times {
		if want := time.Duration(i) * 40 * time.Millisecond; got != want {
			t.Errorf("frame %d at %v, want %v", i, got, want)
		}
	}
}

// TestIVFSourceCancel cancels before and during a run: Frames returns the
// context's error, closes out and closes the frame it was holding.
func TestIVFSourceCancel(t *testing.T) {
	fx := clipFixture(t)
	t.Run("before", func(t *testing.T) {
		src := openIVF(t, fx.ivf)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		out := make(chan analysis.Frame)
		if err := src.Frames(ctx, out); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if _, open := <-out; open {
			t.Error("out not closed")
		}
	})
	t.Run("during", func(t *testing.T) {
		src := openIVF(t, fx.ivf)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		out := make(chan analysis.Frame)
		done := make(chan error, 1)
		go func() { done <- src.Frames(ctx, out) }()
		for i := 0; i < 3; i++ {
			f := <-out
			f.Close()
		}
		cancel() // the source is now blocked sending frame 3
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Frames did not return after cancel")
		}
		for f := range out { // closed; nothing left behind
			f.Close()
			t.Error("frame sent after cancel")
		}
	})
}

func TestIVFSourceClose(t *testing.T) {
	fx := clipFixture(t)
	src, err := vp8.OpenIVF(fx.ivf)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan analysis.Frame)
	done := make(chan error, 1)
	go func() { done <- src.Frames(context.Background(), out) }()
	f := <-out
	f.Close()
	for i := 0; i < 2; i++ {
		if err := src.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	for f := range out { // at most the frame decoded before Close
		f.Close()
	}
	if err := <-done; !errors.Is(err, vp8.ErrClosed) {
		t.Errorf("Frames after Close: %v, want ErrClosed", err)
	}
}
