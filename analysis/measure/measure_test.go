package measure_test

import (
	"errors"
	"image"
	"math"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/measure"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// realFrame returns frame n of a real clip (owned by the caller) and its
// face result.
func realFrame(t testing.TB, clip string, n int) (analysis.Frame, analysis.FrameResult) {
	t.Helper()
	src := facetest.OpenClip(t, clip)
	an := facetest.Analyzer(t)
	f := analysis.Frame{Image: gocv.NewMat()}
	var r analysis.FrameResult
	for i := 0; i <= n; i++ {
		if err := src.Read(&f); err != nil {
			f.Close()
			t.Fatal(err)
		}
		var err error
		if r, err = an.Analyze(&f); err != nil {
			f.Close()
			t.Fatal(err)
		}
	}
	if !r.HasFace() {
		f.Close()
		t.Fatalf("%s frame %d: no face", clip, n)
	}
	return f, r
}

func TestRealClipMeasures(t *testing.T) {
	frames, withFace, measured := 0, 0, 0
	facetest.Track(t, clips.Cap13, 0, func(r analysis.FrameResult) {
		frames++
		m := r.Measures
		if m == nil {
			t.Fatalf("frame %d: no measures", r.Index)
		}
		if b := m.BGR; b[0] < 1 || b[1] < 1 || b[2] < 1 {
			t.Fatalf("frame %d: mean colour %v of a lit scene", r.Index, b)
		}
		if r.Index > 0 && (m.Changed < 0 || m.Changed > 1) {
			t.Fatalf("frame %d: changed share %v", r.Index, m.Changed)
		}
		if r.Index > 0 && m.Diff < 0 {
			t.Fatalf("frame %d: no difference to the previous frame", r.Index)
		}
		if m.Noise <= 0.05 || m.Noise > 5 {
			t.Errorf("frame %d: noise sigma %.3f outside a webcam's 0.05..5", r.Index, m.Noise)
		}
		if !r.HasFace() {
			return
		}
		withFace++
		if f := m.Face; f != nil {
			measured++
			if len(f.Crop) != analysis.CropSize*analysis.CropSize {
				t.Fatalf("frame %d: crop %d bytes", r.Index, len(f.Crop))
			}
			for i, g := range f.Regions {
				if i != analysis.RegionNeck && g.Pixels == 0 {
					t.Fatalf("frame %d: region %s empty", r.Index, analysis.RegionNames[i])
				}
			}
		}
	})
	if frames != 765 || float64(measured) < 0.98*float64(withFace) {
		t.Fatalf("frames %d, with face %d, measured %d", frames, withFace, measured)
	}
}

// TestBlurredFaceIsSofter pastes a blurred copy of the face interior back,
// as a low-resolution swap does: the interior must lose most of its
// Laplacian variance and noise while the ring keeps them.
func TestBlurredFaceIsSofter(t *testing.T) {
	f, r := realFrame(t, clips.Cap12, 100)
	defer f.Close()
	m := measure.New()
	defer m.Close()
	before, err := m.Measure(f.Image, r)
	if err != nil || before.Face == nil {
		t.Fatalf("measure: %v", err)
	}
	// Blur a box well inside the outline: between the eyes' outer corners
	// and from the eyes to the mouth.
	p := r.Face.Landmarks
	box := image.Rect(int(p[36].X), int(p[37].Y), int(p[45].X), int(p[57].Y))
	roi := f.Image.Region(box)
	gocv.GaussianBlur(roi, &roi, image.Pt(0, 0), 2.5, 2.5, gocv.BorderReflect101)
	roi.Close()
	m.Reset()
	after, err := m.Measure(f.Image, r)
	if err != nil || after.Face == nil {
		t.Fatalf("measure: %v", err)
	}
	in0, in1 := before.Face.Regions[analysis.RegionInterior], after.Face.Regions[analysis.RegionInterior]
	ring0, ring1 := before.Face.Regions[analysis.RegionRing], after.Face.Regions[analysis.RegionRing]
	t.Logf("interior sharp %.1f -> %.1f, noise %.2f -> %.2f; ring sharp %.1f -> %.1f", in0.Sharp, in1.Sharp, in0.Noise, in1.Noise, ring0.Sharp, ring1.Sharp)
	if in1.Sharp > 0.6*in0.Sharp || in1.Noise > 0.8*in0.Noise {
		t.Errorf("blurred interior not softer: sharp %.1f -> %.1f, noise %.2f -> %.2f", in0.Sharp, in1.Sharp, in0.Noise, in1.Noise)
	}
	if math.Abs(ring1.Sharp-ring0.Sharp) > 0.05*ring0.Sharp {
		t.Errorf("ring changed: sharp %.1f -> %.1f", ring0.Sharp, ring1.Sharp)
	}
}

// TestNoiseEstimate adds Gaussian noise of known sigma to a real frame.
func TestNoiseEstimate(t *testing.T) {
	f, r := realFrame(t, clips.Franck, 10)
	defer f.Close()
	m := measure.New()
	defer m.Close()
	base, err := m.Measure(f.Image, r)
	if err != nil {
		t.Fatal(err)
	}
	noise := gocv.NewMatWithSize(f.Image.Rows(), f.Image.Cols(), gocv.MatTypeCV8UC3)
	defer noise.Close()
	noisy := gocv.NewMat()
	defer noisy.Close()
	const sigma = 4.0
	gocv.RandN(&noise, gocv.NewScalar(64, 64, 64, 0), gocv.NewScalar(sigma, sigma, sigma, 0))
	gocv.Add(f.Image, noise, &noisy)
	offset := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(64, 64, 64, 0), f.Image.Rows(), f.Image.Cols(), gocv.MatTypeCV8UC3)
	defer offset.Close()
	gocv.Subtract(noisy, offset, &noisy)
	got, err := m.Measure(noisy, r)
	if err != nil {
		t.Fatal(err)
	}
	// Gray averages three channels of independent noise: sigma/sqrt(3)
	// for equal weights, ~0.62 sigma for BT.601's; on top of the clip's own.
	want := math.Hypot(base.Noise, 0.62*sigma)
	if math.Abs(got.Noise-want) > 0.25*want {
		t.Errorf("noise %.2f, want about %.2f (clip alone %.2f)", got.Noise, want, base.Noise)
	}
	if got.Diff < 1 {
		t.Errorf("difference to the previous frame %.2f, want the added noise", got.Diff)
	}
}

func TestBadFrames(t *testing.T) {
	m := measure.New()
	empty := gocv.NewMat()
	defer empty.Close()
	gray := gocv.NewMatWithSize(100, 100, gocv.MatTypeCV8U)
	defer gray.Close()
	for name, img := range map[string]gocv.Mat{"empty": empty, "gray": gray} {
		if _, err := m.Measure(img, analysis.FrameResult{}); !errors.Is(err, analysis.ErrBadFrame) {
			t.Errorf("%s: err %v, want ErrBadFrame", name, err)
		}
	}
	// A face whose landmarks lie outside the frame measures no face
	// statistics rather than failing.
	img := gocv.NewMatWithSize(64, 64, gocv.MatTypeCV8UC3)
	defer img.Close()
	pts := make([]analysis.Point, analysis.NumLandmarks)
	for i := range pts {
		pts[i] = analysis.Point{X: 5000 + float64(i), Y: -300}
	}
	res := analysis.FrameResult{State: analysis.StateTracked, Face: &analysis.Face{Landmarks: pts}, Width: 64, Height: 64}
	got, err := m.Measure(img, res)
	if err != nil || got.Face != nil {
		t.Errorf("landmarks off the frame: face %v, err %v", got.Face, err)
	}
	m.Close()
	m.Close()
	if _, err := m.Measure(img, res); !errors.Is(err, measure.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func BenchmarkMeasure(b *testing.B) {
	f, r := realFrame(b, clips.Cap12, 100)
	defer f.Close()
	m := measure.New()
	defer m.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Measure(f.Image, r); err != nil {
			b.Fatal(err)
		}
	}
}
