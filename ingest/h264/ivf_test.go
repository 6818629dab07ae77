package h264_test

import (
	"context"
	"errors"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/ingest/h264"
	"github.com/unmaskhq/unmask/internal/ingesttest"
)

// IVFSource is an analysis source.
var _ pipeline.Source = (*h264.IVFSource)(nil)

// ivfBytes builds an IVF file as the recorder writes H.264: fourcc H264,
// timebase 1/1000, pts in milliseconds (40 ms apart at 25 fps).
func ivfBytes(aus [][]byte) []byte {
	b := ingesttest.IVFHeader("H264", 400, 300, 1000, 1, uint32(len(aus)))
	for i, au := range aus {
		b = append(b, ingesttest.IVFFrame(uint64(1000+40*i), au)...)
	}
	return b
}

type collected struct {
	index []int
	times []time.Duration
	err   error
}

func collect(tb testing.TB, src *h264.IVFSource) collected {
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
		f.Close()
	}
	c.err = <-done
	return c
}

func openIVF(tb testing.TB, path string) *h264.IVFSource {
	tb.Helper()
	src, err := h264.OpenIVF(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { src.Close() })
	return src
}

func TestIVFSourceRealFootage(t *testing.T) {
	fx := clipFixture(t)
	p := ingesttest.WriteFile(t, t.TempDir(), "rec.ivf", ivfBytes(fx.aus))
	src := openIVF(t, p)
	want := h264.IVFInfo{Path: p, Width: 400, Height: 300, Picture: image.Pt(400, 300), Frames: len(fx.aus), TimebaseNum: 1, TimebaseDen: 1000, FPS: fixtureFPS}
	if info := src.Info(); info != want {
		t.Errorf("Info() = %+v, want %+v", info, want)
	}
	c := collect(t, src)
	if c.err != nil || len(c.index) != len(fx.aus) {
		t.Fatalf("%d frames, err %v; want %d", len(c.index), c.err, len(fx.aus))
	}
	for i := range c.index {
		if c.index[i] != i || c.times[i] != time.Duration(i)*40*time.Millisecond {
			t.Fatalf("frame %d: index %d time %v", i, c.index[i], c.times[i])
		}
	}
	if st, want := src.Stats(), (h264.IVFStats{FramesRead: int64(len(fx.aus)), Decoded: int64(len(fx.aus)), EOF: true}); st != want {
		t.Errorf("Stats() = %+v, want %+v", st, want)
	}
	// Through the analysis pipeline, which closes every frame.
	src2 := openIVF(t, p)
	res, err := pipeline.Run(context.Background(), src2, countAnalyzer{}, nil, pipeline.Options{})
	if err != nil || res.Frames != len(fx.aus) {
		t.Errorf("pipeline: %d frames, %v", res.Frames, err)
	}
}

type countAnalyzer struct{}

func (countAnalyzer) Analyze(f *analysis.Frame) (analysis.FrameResult, error) {
	return analysis.FrameResult{Index: f.Index, Time: f.Time}, f.Validate()
}

func TestOpenIVFErrors(t *testing.T) {
	fx := clipFixture(t)
	body := ingesttest.IVFFrame(0, fx.aus[0])
	dir := t.TempDir()
	hdr := func(fourcc string, w, h int, den, num uint32) []byte {
		return append(ingesttest.IVFHeader(fourcc, w, h, den, num, 1), body...)
	}
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"empty file", nil, h264.ErrNotIVF},
		{"short header", hdr("H264", 400, 300, 1000, 1)[:31], h264.ErrNotIVF},
		{"bad signature", append([]byte("RIFF"), hdr("H264", 400, 300, 1000, 1)[4:]...), h264.ErrNotIVF},
		{"version 1", func() []byte { b := hdr("H264", 400, 300, 1000, 1); b[4] = 1; return b }(), h264.ErrNotIVF},
		{"VP8", hdr("VP80", 400, 300, 1000, 1), h264.ErrCodec},
		{"H265", hdr("H265", 400, 300, 1000, 1), h264.ErrCodec},
		{"zero width", hdr("H264", 0, 300, 1000, 1), h264.ErrBadHeader},
		{"huge", hdr("H264", 9000, 300, 1000, 1), h264.ErrBadHeader},
		{"zero timebase", hdr("H264", 400, 300, 0, 1), h264.ErrBadHeader},
		{"an mp4", func() []byte { b, _ := os.ReadFile(fx.source); return b }(), h264.ErrNotIVF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := h264.OpenIVF(ingesttest.WriteFile(t, dir, "x.ivf", tt.data))
			if err == nil {
				src.Close()
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
		})
	}
	if _, err := h264.OpenIVF(filepath.Join(dir, "missing.ivf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := h264.OpenIVF(dir); !errors.Is(err, h264.ErrNotIVF) {
		t.Errorf("directory: %v, want ErrNotIVF", err)
	}
}

// TestIVFSourceTruncated cuts the file: the frames before the cut come out
// and the stream ends without error, unless none is left.
func TestIVFSourceTruncated(t *testing.T) {
	fx := clipFixture(t)
	full := ivfBytes(fx.aus)
	n := len(fx.aus)
	lastStart := len(full) - 12 - len(fx.aus[n-1])
	tests := []struct {
		name   string
		size   int
		frames int
		err    error
	}{
		{"inside the last frame", len(full) - 100, n - 1, nil},
		{"last frame's header cut", lastStart + 5, n - 1, nil},
		{"only the header", 32, 0, h264.ErrNoFrames},
		{"inside the first frame", 32 + 12 + 100, 0, h264.ErrNoFrames},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := openIVF(t, ingesttest.WriteFile(t, dir, "cut.ivf", full[:tt.size]))
			c := collect(t, src)
			if !errors.Is(c.err, tt.err) || len(c.index) != tt.frames {
				t.Fatalf("%d frames, err %v; want %d, %v", len(c.index), c.err, tt.frames, tt.err)
			}
			if st := src.Stats(); !st.EOF || st.Truncated != (tt.size != 32) {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// TestIVFSourceDamaged damages access units inside the file: they are
// skipped and counted, decoding resumes at the next IDR, and indices keep
// positions in the file.
func TestIVFSourceDamaged(t *testing.T) {
	fx := clipFixture(t)
	replace := func(at int, with []byte) [][]byte {
		f := append([][]byte(nil), fx.aus...)
		f[at] = with
		return f
	}
	cut := append([]byte(nil), fx.aus[10][:len(fx.aus[10])/3]...)
	huge := make([]byte, h264.MaxFrameSize+1)
	tests := []struct {
		name    string
		aus     [][]byte
		damaged int
	}{
		{"P access unit cut short", replace(10, cut), 10},
		{"empty access unit", replace(10, nil), 10},
		{"over MaxFrameSize", replace(10, huge), 10},
		{"first IDR cut", replace(0, fx.aus[0][:len(fx.aus[0])/2]), 0},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := openIVF(t, ingesttest.WriteFile(t, dir, "damaged.ivf", ivfBytes(tt.aus)))
			c := collect(t, src)
			if c.err != nil {
				t.Fatal(c.err)
			}
			next := (tt.damaged/25 + 1) * 25
			want := len(tt.aus) - (next - tt.damaged)
			if len(c.index) != want || c.index[len(c.index)-1] != len(tt.aus)-1 {
				t.Fatalf("%d frames (%v), want %d", len(c.index), c.index, want)
			}
			if st := src.Stats(); st.Skipped != int64(next-tt.damaged) {
				t.Errorf("stats %+v, want %d skipped", st, next-tt.damaged)
			}
		})
	}
	// Nothing decodes: ErrNoFrames.
	src := openIVF(t, ingesttest.WriteFile(t, dir, "bad.ivf", ivfBytes(fx.aus[1:20])))
	if c := collect(t, src); !errors.Is(c.err, h264.ErrNoFrames) {
		t.Errorf("only P access units: %v, want ErrNoFrames", c.err)
	}
}

func TestIVFSourceClose(t *testing.T) {
	fx := clipFixture(t)
	src, err := h264.OpenIVF(ingesttest.WriteFile(t, t.TempDir(), "rec.ivf", ivfBytes(fx.aus)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan analysis.Frame)
	done := make(chan error, 1)
	go func() { done <- src.Frames(ctx, out) }()
	f := <-out
	f.Close()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Frames did not return after cancel")
	}
	for f := range out {
		f.Close()
	}
	for i := 0; i < 2; i++ {
		if err := src.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	if err := src.Frames(context.Background(), make(chan analysis.Frame)); !errors.Is(err, h264.ErrClosed) {
		t.Errorf("Frames after Close: %v, want ErrClosed", err)
	}
}
