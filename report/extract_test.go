package report_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/report"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// landmarkBox bounds the landmarks from..to (inclusive) of f.
func landmarkBox(f analysis.Face, from, to int) image.Rectangle {
	r := image.Rectangle{Min: image.Pt(math.MaxInt32, math.MaxInt32)}
	for _, p := range f.Landmarks[from : to+1] {
		r.Min.X, r.Min.Y = min(r.Min.X, int(p.X)), min(r.Min.Y, int(p.Y))
		r.Max.X, r.Max.Y = max(r.Max.X, int(p.X)+1), max(r.Max.Y, int(p.Y)+1)
	}
	return r
}

// requestAt builds the request a high or medium window would make for a
// tracked frame of cap13, with the mouth as the driving region.
func requestAt(tb testing.TB, window, want int, level string) report.Request {
	tf := realFace(tb, want)
	face := tf.Face
	return report.Request{
		Window: window, TimeS: tf.Time.Seconds(), Frame: tf.Index, Level: level, Risk: 0.81,
		Signal: "lipsync", Reason: "mouth moves 240 ms after the voice", Note: "reviewer: check the jaw",
		Face: &face, Regions: []image.Rectangle{landmarkBox(face, 48, 67).Inset(-4)},
		Metrics: map[string]any{"scores": map[string]float64{"lipsync": 0.9, "blink": 0.1}, "offset_ms": 240},
	}
}

func rgb(c color.Color) [3]uint32 {
	r, g, b, _ := c.RGBA()
	return [3]uint32{r >> 8, g >> 8, b >> 8}
}

// edgePoint finds a point on the face box's outline (clamped to the
// frame) that no landmark dot or region covers.
func edgePoint(t *testing.T, r report.Request, w, h int) image.Point {
	t.Helper()
	b := r.Face.Box.Intersect(image.Rect(0, 0, w, h))
	var cands []image.Point
	for x := b.Min.X + 3; x < b.Max.X-3; x++ {
		cands = append(cands, image.Pt(x, b.Min.Y), image.Pt(x, b.Max.Y-1))
	}
	for y := b.Min.Y + 3; y < b.Max.Y-3; y++ {
		cands = append(cands, image.Pt(b.Min.X, y), image.Pt(b.Max.X-1, y))
	}
next:
	for _, c := range cands {
		for _, p := range r.Face.Landmarks {
			if math.Hypot(p.X-float64(c.X), p.Y-float64(c.Y)) < 6 {
				continue next
			}
		}
		for _, g := range r.Regions {
			if c.In(g.Inset(-4)) {
				continue next
			}
		}
		return c
	}
	t.Fatal("every point of the box outline is under another drawing")
	return image.Point{}
}

// farPoint finds a point at least margin px from every drawing of r and
// clear of the caption bar at the bottom, or fails.
func farPoint(t *testing.T, r report.Request, w, h int) image.Point {
	t.Helper()
	const margin = 16
	keepOut := append([]image.Rectangle{r.Face.Box}, r.Regions...)
	for _, p := range r.Face.Landmarks {
		keepOut = append(keepOut, image.Rect(int(p.X), int(p.Y), int(p.X)+1, int(p.Y)+1))
	}
	for _, c := range []image.Point{{8, 8}, {w - 9, 8}, {w / 2, 8}, {8, h / 3}, {w - 9, h / 3}} {
		clear := true
		for _, k := range keepOut {
			if c.In(k.Inset(-margin)) {
				clear = false
			}
		}
		if clear {
			return c
		}
	}
	t.Fatal("no point of the frame is far from the drawings")
	return image.Point{}
}

func TestExtract(t *testing.T) {
	tmp := privateTemp(t)
	dir := openDir(t)
	reqs := []report.Request{requestAt(t, 12, 600, report.LevelMedium), requestAt(t, 3, 100, report.LevelHigh)}
	evs, err := report.Extract(context.Background(), clips.Path(t, clips.Cap13), reqs, dir, report.ExtractOptions{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if len(evs) != len(reqs) {
		t.Fatalf("got %d evidence records, want %d", len(evs), len(reqs))
	}
	for i, ev := range evs {
		r := reqs[i]
		t.Run(filepath.Base(ev.Plain), func(t *testing.T) {
			if ev.Window != r.Window || ev.Frame != r.Frame || ev.Level != r.Level || ev.Signal != r.Signal || ev.Reason != r.Reason {
				t.Errorf("record %+v does not match request %d", ev, i)
			}
			if math.Abs(ev.TimeS-r.TimeS) > 1e-3 {
				t.Errorf("time %.3f s, want the frame's %.3f s", ev.TimeS, r.TimeS)
			}
			for _, name := range []string{ev.Plain, ev.Marked, ev.Clip, ev.Metrics} {
				if name == "" || filepath.IsAbs(name) {
					t.Fatalf("record %+v: want relative paths for every file", ev)
				}
			}
			plain := decodePNG(t, filepath.Join(dir.Path(), ev.Plain))
			marked := decodePNG(t, filepath.Join(dir.Path(), ev.Marked))
			for _, img := range []image.Image{plain, marked} {
				if got := img.Bounds().Size(); got != image.Pt(400, 300) {
					t.Fatalf("PNG is %v, want 400x300", got)
				}
			}
			box := r.Face.Box
			edge := edgePoint(t, r, 400, 300)
			if rgb(plain.At(edge.X, edge.Y)) == rgb(marked.At(edge.X, edge.Y)) {
				t.Errorf("annotated frame equals the plain one on the box edge %v", edge)
			}
			want := color.RGBA{R: 220, G: 30, B: 30}
			if r.Level == report.LevelMedium {
				want = color.RGBA{R: 255, G: 176}
			}
			if got := rgb(marked.At(edge.X, edge.Y)); got != rgb(want) {
				t.Errorf("box edge is %v, want the %s colour %v", got, r.Level, rgb(want))
			}
			far := farPoint(t, r, 400, 300)
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					if a, b := plain.At(far.X+dx, far.Y+dy), marked.At(far.X+dx, far.Y+dy); a != b {
						t.Fatalf("annotated frame differs from the plain one at %v, far from any drawing: %v vs %v", far, a, b)
					}
				}
			}
			if rgb(marked.At(200, 297)) == rgb(plain.At(200, 297)) && rgb(marked.At(3, 297)) == rgb(plain.At(3, 297)) {
				t.Error("no caption bar at the bottom of the annotated frame")
			}

			var m struct {
				Window  int                   `json:"window"`
				Frame   int                   `json:"frame"`
				TimeS   float64               `json:"time_s"`
				Level   string                `json:"level"`
				Risk    float64               `json:"risk"`
				Signal  string                `json:"signal"`
				Reason  string                `json:"reason"`
				Note    string                `json:"note"`
				Face    *struct{ Box [4]int } `json:"face"`
				Regions [][4]int              `json:"regions"`
				Metrics map[string]any        `json:"metrics"`
			}
			b, err := os.ReadFile(filepath.Join(dir.Path(), ev.Metrics))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("metrics: %v", err)
			}
			if m.Frame != r.Frame || m.Window != r.Window || m.Level != r.Level || m.Risk != r.Risk || m.Note != r.Note || m.Signal != r.Signal {
				t.Errorf("metrics %s: %+v does not match the request", ev.Metrics, m)
			}
			if m.Face == nil || m.Face.Box != [4]int{box.Min.X, box.Min.Y, box.Dx(), box.Dy()} || len(m.Regions) != 1 {
				t.Errorf("metrics: face %+v regions %v; want the request's", m.Face, m.Regions)
			}
			if m.Metrics["offset_ms"] != 240.0 || m.Metrics["scores"] == nil {
				t.Errorf("metrics lost the window's metrics: %v", m.Metrics)
			}

			p := probe(t, filepath.Join(dir.Path(), ev.Clip))
			if math.Abs(p.Duration-4) > 0.2 {
				t.Errorf("clip lasts %.3f s, want 4 ± 0.2", p.Duration)
			}
			if len(p.Codecs) != 1 || p.Codecs[0] != "h264" || p.PixFmt != "yuv420p" || p.Width != 400 || p.Height != 300 || !p.FastStart {
				t.Errorf("clip: %+v, want one H.264 yuv420p 400x300 stream, index first", p)
			}
		})
	}
	// The plain frame is exactly the frame of that index, not a neighbour.
	assertSameFrame(t, filepath.Join(dir.Path(), evs[1].Plain), reqs[1].Frame)

	m, err := dir.Finish("unmask test", nil)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, e := range m.Files {
		listed[e.Name] = e.SHA256
	}
	for _, ev := range evs {
		for _, name := range []string{ev.Plain, ev.Marked, ev.Clip, ev.Metrics} {
			b, err := os.ReadFile(filepath.Join(dir.Path(), name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if got, want := listed[name], hex.EncodeToString(sum[:]); got != want {
				t.Errorf("manifest has %s with sha256 %q, want %q", name, got, want)
			}
		}
	}
	if len(m.Files) != 4*len(evs) {
		t.Errorf("manifest lists %d files, want %d", len(m.Files), 4*len(evs))
	}
	if _, err := evidence.Verify(dir.Path()); err != nil {
		t.Error(err)
	}
	if left := leftovers(t, tmp, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// assertSameFrame compares a saved PNG with frame index of cap13 decoded
// independently.
func assertSameFrame(t *testing.T, pngPath string, index int) {
	t.Helper()
	src := facetest.OpenClip(t, clips.Cap13)
	f := analysis.Frame{Image: gocv.NewMat()}
	defer f.Close()
	for {
		if err := src.Read(&f); err != nil {
			t.Fatalf("read frame %d: %v", index, err)
		}
		if f.Index == index {
			break
		}
	}
	img := decodePNG(t, pngPath)
	for y := 0; y < f.Image.Rows(); y += 7 {
		for x := 0; x < f.Image.Cols(); x += 7 {
			v := f.Image.GetVecbAt(y, x)
			if got, want := rgb(img.At(x, y)), [3]uint32{uint32(v[2]), uint32(v[1]), uint32(v[0])}; got != want {
				t.Fatalf("%s at (%d,%d) is %v, frame %d has %v", filepath.Base(pngPath), x, y, got, index, want)
			}
		}
	}
}

// The clip is clamped to the file at both ends.
func TestExtractClipClamped(t *testing.T) {
	path := clips.Path(t, clips.Cap13)
	for _, tc := range []struct {
		frame int
		want  float64 // seconds
	}{
		{frame: 10, want: 0.4 + 2},          // starts at 0
		{frame: 755, want: 30.6 - 30.2 + 2}, // ends at the file's end
	} {
		t.Run(fmt.Sprintf("frame %d", tc.frame), func(t *testing.T) {
			dir := openDir(t)
			evs, err := report.Extract(context.Background(), path, []report.Request{{Window: 1, Frame: tc.frame, Level: report.LevelHigh}}, dir, report.ExtractOptions{})
			if err != nil || len(evs) != 1 {
				t.Fatalf("Extract: %v, %d records", err, len(evs))
			}
			if got := probe(t, filepath.Join(dir.Path(), evs[0].Clip)).Duration; math.Abs(got-tc.want) > 0.2 {
				t.Errorf("clip of frame %d lasts %.3f s, want %.2f ± 0.2", tc.frame, got, tc.want)
			}
		})
	}
}

func TestExtractPastEnd(t *testing.T) {
	dir := openDir(t)
	reqs := []report.Request{
		{Window: 7, Frame: 100000, Level: report.LevelHigh},
		{Window: 2, Frame: 100, Level: report.LevelMedium, Reason: "ok"},
		{Window: 9, Frame: -3, Level: report.LevelHigh},
	}
	evs, err := report.Extract(context.Background(), clips.Path(t, clips.Cap13), reqs, dir, report.ExtractOptions{NoClip: true})
	if !errors.Is(err, report.ErrPastEnd) {
		t.Fatalf("err = %v, want ErrPastEnd", err)
	}
	for _, want := range []string{"frame 100000", "frame -3", "765 frames"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "frame 100:") {
		t.Errorf("error %q blames the good request", err)
	}
	if len(evs) != 1 || evs[0].Frame != 100 || evs[0].Clip != "" {
		t.Fatalf("got %+v, want only frame 100's evidence, without clip", evs)
	}
	for _, name := range []string{evs[0].Plain, evs[0].Marked, evs[0].Metrics} {
		if _, err := os.Stat(filepath.Join(dir.Path(), name)); err != nil {
			t.Error(err)
		}
	}
	// Nothing was saved under the missing frames' names.
	if m, _ := filepath.Glob(filepath.Join(dir.Path(), "w007-*")); len(m) > 0 {
		t.Errorf("files for a frame past the end: %v", m)
	}
}

// Cancelling at any point stops the work and leaves no temporary file,
// in os.TempDir or in the evidence directory.
func TestExtractCancel(t *testing.T) {
	path := clips.Path(t, clips.Cap13)
	reqs := []report.Request{{Window: 1, Frame: 100, Level: report.LevelHigh}, {Window: 2, Frame: 300, Level: report.LevelHigh}}
	for _, tc := range []struct {
		name string
		// cancel is called in a goroutine with the temp dir; it cancels
		// when it decides to.
		cancel func(tmp string, stop context.CancelFunc, done <-chan struct{}) bool
	}{
		{"before", func(string, context.CancelFunc, <-chan struct{}) bool { return true }},
		{"while decoding", func(_ string, stop context.CancelFunc, done <-chan struct{}) bool {
			select {
			case <-time.After(30 * time.Millisecond):
				stop()
				return true
			case <-done:
				return false
			}
		}},
		{"while ffmpeg runs", func(tmp string, stop context.CancelFunc, done <-chan struct{}) bool {
			for {
				if m, _ := filepath.Glob(filepath.Join(tmp, "*")); len(m) > 0 {
					stop()
					return true
				}
				select {
				case <-done:
					return false
				case <-time.After(time.Millisecond):
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := privateTemp(t)
			dir := openDir(t)
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			done := make(chan struct{})
			var cancelled atomic.Bool
			if tc.name == "before" {
				stop()
				cancelled.Store(true)
			} else {
				go func() { cancelled.Store(tc.cancel(tmp, stop, done)) }()
			}
			_, err := report.Extract(ctx, path, reqs, dir, report.ExtractOptions{})
			close(done)
			time.Sleep(10 * time.Millisecond) // let the watcher record its decision
			if cancelled.Load() && !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if !cancelled.Load() {
				t.Logf("finished before the cancel (err %v)", err)
			}
			if left := leftovers(t, tmp, dir); len(left) > 0 {
				t.Errorf("temporary files left after cancel: %v", left)
			}
		})
	}
}

func TestExtractBadInput(t *testing.T) {
	tmp := t.TempDir()
	corrupt := filepath.Join(tmp, "corrupt.mp4")
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i*7 + i/13)
	}
	if err := os.WriteFile(corrupt, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(tmp, "empty.mp4")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		want       error
	}{
		{"missing", filepath.Join(tmp, "nope.mp4"), video.ErrNotFound},
		{"corrupt", corrupt, video.ErrNotVideo},
		{"empty", empty, video.ErrEmpty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := openDir(t)
			evs, err := report.Extract(context.Background(), tc.path, []report.Request{{Frame: 1}}, dir, report.ExtractOptions{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("err = %v, want %v naming %s", err, tc.want, tc.path)
			}
			if len(evs) != 0 {
				t.Errorf("evidence from a bad input: %+v", evs)
			}
			if ents, _ := os.ReadDir(dir.Path()); len(ents) != 0 {
				t.Errorf("files written for a bad input: %v", ents)
			}
		})
	}
}

// A file with sound gets an AAC track in its clip; odd sides are made even
// for yuv420p; no face and metrics that JSON cannot hold still give
// evidence, with the metrics error reported.
func TestExtractAudioOddSizeNoFace(t *testing.T) {
	path := makeVideo(t, 321, 241, 6, true)
	dir := openDir(t)
	reqs := []report.Request{{Window: 0, Frame: 75, Level: report.LevelHigh, Risk: math.NaN(), Signal: "lipsync",
		Reason: "voice ≈ 200 ms ahead — “odd” ±", Regions: []image.Rectangle{image.Rect(-50, -50, 5000, 40)},
		Metrics: map[string]float64{"bad": math.Inf(1)}}}
	evs, err := report.Extract(context.Background(), path, reqs, dir, report.ExtractOptions{ClipSeconds: 1.5})
	if err == nil || !strings.Contains(err.Error(), "metrics") {
		t.Errorf("err = %v, want the metrics error", err)
	}
	if len(evs) != 1 {
		t.Fatalf("got %d records, want 1", len(evs))
	}
	ev := evs[0]
	if got := decodePNG(t, filepath.Join(dir.Path(), ev.Marked)).Bounds().Size(); got != image.Pt(321, 241) {
		t.Errorf("annotated PNG is %v, want 321x241", got)
	}
	p := probe(t, filepath.Join(dir.Path(), ev.Clip))
	if p.AudioCodec != "aac" || p.Width != 320 || p.Height != 240 || math.Abs(p.Duration-3) > 0.2 {
		t.Errorf("clip %+v: want AAC audio, 320x240, 3 ± 0.2 s", p)
	}
	b, err := os.ReadFile(filepath.Join(dir.Path(), ev.Metrics))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("metrics file is not JSON: %v", err)
	}
	if m["metrics_error"] == nil || m["metrics"] != nil || m["risk"] != 0.0 {
		t.Errorf("metrics file %s: want metrics_error, null metrics, risk 0", b)
	}
}
