package pipeline_test

import (
	"context"
	"errors"
	"image"
	"os"
	"runtime"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/internal/matleak"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestMain(m *testing.M) {
	code := matleak.Run(m)
	facetest.Close()
	os.Exit(code)
}

// checkGoroutines fails the test if goroutines started during it outlive
// it (pion's test.CheckRoutines, in miniature).
func checkGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("%d goroutines leaked:\n%s", n-before, buf[:runtime.Stack(buf, true)])
		}
	})
}

// TestRealClipsTracked is the foundation's acceptance: on each real clip,
// whole length, a face is tracked in at least 98% of frames.
func TestRealClipsTracked(t *testing.T) {
	for _, clip := range []string{clips.Franck, clips.Cap12, clips.Cap13} {
		t.Run(clip, func(t *testing.T) {
			checkGoroutines(t)
			src := facetest.OpenClip(t, clip)
			a := facetest.Analyzer(t)
			res, err := pipeline.Run(context.Background(), src, a, nil, pipeline.Options{})
			if err != nil {
				t.Fatal(err)
			}
			frac := float64(res.WithFace) / float64(res.Analysed)
			st := a.Stats()
			t.Logf("%s: %d frames, face in %.2f%%, %d detections, %d tracker losses, %.0f fps",
				clip, res.Analysed, 100*frac, st.Detections, st.TrackerLoss, float64(res.Analysed)/res.Wall.Seconds())
			if want := src.Info().ExpectedFrames(); int64(res.Analysed) < want-2 {
				t.Errorf("analysed %d frames, want about %d", res.Analysed, want)
			}
			if frac < 0.98 {
				t.Errorf("face tracked in %.4f of frames, want >= 0.98", frac)
			}
		})
	}
}

// sequential hides the Staged methods so Run takes the one-goroutine path.
type sequential struct{ a *face.Analyzer }

func (s sequential) Analyze(f *analysis.Frame) (analysis.FrameResult, error) { return s.a.Analyze(f) }

// TestStagedMatchesSequential: running Locate and Describe on two cores
// must give exactly the results of running them one after the other.
func TestStagedMatchesSequential(t *testing.T) {
	collect := func(a pipeline.Analyzer) []analysis.FrameResult {
		var out []analysis.FrameResult
		if _, err := pipeline.Run(context.Background(), facetest.OpenClip(t, clips.Cap13), a, func(r analysis.FrameResult) error {
			out = append(out, r)
			return nil
		}, pipeline.Options{}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	staged := collect(facetest.Analyzer(t))
	seq := collect(sequential{facetest.Analyzer(t)})
	if len(staged) != len(seq) {
		t.Fatalf("staged %d results, sequential %d", len(staged), len(seq))
	}
	for i := range staged {
		s, q := staged[i], seq[i]
		if s.Index != q.Index || s.State != q.State || s.HasFace() != q.HasFace() {
			t.Fatalf("frame %d: staged %v/%v, sequential %v/%v", i, s.Index, s.State, q.Index, q.State)
		}
		if s.HasFace() && (s.Face.Box != q.Face.Box || s.Face.Landmarks[30] != q.Face.Landmarks[30] || s.Face.Quality != q.Face.Quality) {
			t.Fatalf("frame %d: staged %+v, sequential %+v", i, *s.Face, *q.Face)
		}
	}
}

// burst is a live-like source: it pushes copies of one real frame as fast
// as the queue takes them, never waiting on analysis.
type burst struct {
	img gocv.Mat
	n   int
}

func (b *burst) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	defer close(out)
	for i := 0; i < b.n; i++ {
		f := analysis.Frame{Index: i, Time: time.Duration(i) * 33 * time.Millisecond, Image: b.img.Clone()}
		select {
		case out <- f:
		case <-ctx.Done():
			f.Close()
			return ctx.Err()
		}
	}
	return nil
}

func firstFrame(t *testing.T) gocv.Mat {
	t.Helper()
	src := facetest.OpenClip(t, clips.Cap12)
	f := analysis.Frame{Image: gocv.NewMat()}
	if err := src.Read(&f); err != nil {
		t.Fatal(err)
	}
	return f.Image
}

func TestLatestDropsWhenAnalysisIsSlow(t *testing.T) {
	checkGoroutines(t)
	img := firstFrame(t)
	defer img.Close()
	slow := func(analysis.FrameResult) error { time.Sleep(20 * time.Millisecond); return nil }
	res, err := pipeline.Run(context.Background(), &burst{img: img, n: 200}, facetest.Analyzer(t), slow, pipeline.Options{Policy: pipeline.Latest})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("frames %d analysed %d dropped %d", res.Frames, res.Analysed, res.Dropped)
	if res.Dropped == 0 {
		t.Error("no frame dropped although analysis is slower than the source")
	}
	if res.Analysed+res.Dropped != res.Frames {
		t.Errorf("analysed %d + dropped %d != produced %d", res.Analysed, res.Dropped, res.Frames)
	}
}

func TestSinkErrorStopsEarly(t *testing.T) {
	checkGoroutines(t)
	boom := errors.New("disk full")
	n := 0
	start := time.Now()
	res, err := pipeline.Run(context.Background(), facetest.OpenClip(t, clips.Franck), facetest.Analyzer(t), func(analysis.FrameResult) error {
		if n++; n == 10 {
			return boom
		}
		return nil
	}, pipeline.Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the sink's error", err)
	}
	if took := time.Since(start); took > 5*time.Second || res.Frames > 100 {
		t.Errorf("stopping took %v and decoded %d frames: the source was not stopped", took, res.Frames)
	}
}

func TestCancel(t *testing.T) {
	checkGoroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := pipeline.Run(ctx, facetest.OpenClip(t, clips.Franck), facetest.Analyzer(t), func(analysis.FrameResult) error {
		if n++; n == 5 {
			cancel()
		}
		return nil
	}, pipeline.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestBadFramesEndTheRun(t *testing.T) {
	checkGoroutines(t)
	empty := gocv.NewMat()
	defer empty.Close()
	_, err := pipeline.Run(context.Background(), &burst{img: empty, n: 500}, facetest.Analyzer(t), nil, pipeline.Options{MaxBadFrames: 20})
	if !errors.Is(err, pipeline.ErrTooManyBadFrames) {
		t.Fatalf("err = %v, want ErrTooManyBadFrames", err)
	}
}

// BenchmarkFile is the file path end to end on cap13 (400x300): decode,
// both face stages on two cores, no sink.
func BenchmarkFile(b *testing.B) {
	a := facetest.Analyzer(b)
	frames := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := video.OpenFile(context.Background(), clips.Path(b, clips.Cap13))
		if err != nil {
			b.Fatal(err)
		}
		res, err := pipeline.Run(context.Background(), src, a, nil, pipeline.Options{})
		src.Close()
		if err != nil {
			b.Fatal(err)
		}
		frames += res.Analysed
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(frames)/1e6, "ms/frame")
}

// resizing passes a clip's frames on at a size that changes every second,
// as a browser does when it adapts its resolution mid-call.
type resizing struct{ src pipeline.Source }

func (r resizing) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	in := make(chan analysis.Frame)
	errc := make(chan error, 1)
	go func() { errc <- r.src.Frames(ctx, in) }()
	defer close(out)
	sizes := []image.Point{{400, 300}, {320, 240}, {640, 480}, {200, 150}}
	for f := range in {
		sz := sizes[(f.Index/25)%len(sizes)]
		if sz.X != f.Image.Cols() {
			dst := gocv.NewMat()
			gocv.Resize(f.Image, &dst, sz, 0, 0, gocv.InterpolationArea)
			f.Image.Close()
			f.Image = dst
		}
		select {
		case out <- f:
		case <-ctx.Done():
			f.Close()
		}
	}
	return <-errc
}

// A stream whose frame size changes keeps being analysed: trackers,
// measures and signals state must not carry a size across the change.
func TestFrameSizeChangesMidStream(t *testing.T) {
	res, err := pipeline.Run(context.Background(), resizing{facetest.OpenClip(t, clips.Cap13)}, facetest.Analyzer(t),
		func(analysis.FrameResult) error { return nil }, pipeline.Options{Measure: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d frames, %d with a face, %d bad", res.Analysed, res.WithFace, res.BadFrames)
	if res.Analysed < 700 || float64(res.WithFace) < 0.8*float64(res.Analysed) {
		t.Errorf("%d of %d frames with a face across size changes", res.WithFace, res.Analysed)
	}
}
