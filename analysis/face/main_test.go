package face

import (
	"image"
	"os"
	"sync"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/internal/matleak"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestMain(m *testing.M) {
	code := matleak.Run(m)
	if shared != nil {
		shared.Close()
	}
	os.Exit(code)
}

var (
	sharedOnce sync.Once
	shared     *Models
	sharedErr  error
)

// testModels loads the real models once per test binary.
func testModels(tb testing.TB) *Models {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = LoadModels(models.Default()) })
	if sharedErr != nil {
		tb.Fatalf("load models: %v", sharedErr)
	}
	return shared
}

// eachFrame calls fn for every step-th frame of a real clip, optionally
// resized to size (zero: keep). The Frame is closed after fn returns.
func eachFrame(tb testing.TB, clip string, step int, size image.Point, fn func(f *analysis.Frame) bool) int {
	tb.Helper()
	vc, err := gocv.VideoCaptureFileWithAPI(clips.Path(tb, clip), gocv.VideoCaptureFFmpeg)
	if err != nil {
		tb.Fatalf("open %s: %v", clip, err)
	}
	defer vc.Close()
	raw := gocv.NewMat()
	defer raw.Close()
	fps := vc.Get(gocv.VideoCaptureFPS)
	n := 0
	for i := 0; vc.Read(&raw); i++ {
		if raw.Empty() {
			break
		}
		if i%step != 0 {
			continue
		}
		f := analysis.Frame{Index: i, Time: secondsToDuration(float64(i) / fps), Image: gocv.NewMat()}
		if size != (image.Point{}) {
			gocv.Resize(raw, &f.Image, size, 0, 0, gocv.InterpolationLinear)
		} else {
			raw.CopyTo(&f.Image)
		}
		n++
		// Close even when fn stops the test with t.Fatal (runtime.Goexit).
		cont := func() bool { defer f.Close(); return fn(&f) }()
		if !cont {
			break
		}
	}
	return n
}
