package match_test

import (
	"errors"
	"image"
	"math"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/idcheck/match"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func vec(v float32) []float32 {
	d := make([]float32, embed.Size)
	d[0] = v
	return d
}

func TestDecide(t *testing.T) {
	portrait := vec(0)
	live := [][]float32{vec(0.3), vec(0.2), vec(0.9), vec(0.25), vec(0.1)}
	d, err := match.Decide(portrait, live, match.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	// Median of 0.1 0.2 0.25 0.3 0.9: one outlier frame does not decide.
	if math.Abs(d.Distance-0.25) > 1e-6 || !d.Match || !d.Confident || d.Frames != 5 {
		t.Errorf("Decide = %+v, want distance 0.25, a confident match over 5 frames", d)
	}
	if d.Min > 0.1+1e-6 || d.Max < 0.9-1e-6 {
		t.Errorf("min %.3f max %.3f", d.Min, d.Max)
	}
	near, err := match.Decide(portrait, [][]float32{vec(float32(match.Threshold + 0.01))}, match.Threshold)
	if err != nil || near.Match || near.Confident {
		t.Errorf("just over the threshold: %+v %v, want no match, not confident", near, err)
	}
	far, _ := match.Decide(portrait, [][]float32{vec(2)}, match.Threshold)
	if far.Match || !far.Confident || far.Similarity != 0 {
		t.Errorf("far: %+v", far)
	}
	for name, tc := range map[string]struct {
		p    []float32
		live [][]float32
		want error
	}{
		"no live":    {portrait, nil, match.ErrNoLive},
		"short":      {[]float32{1, 2}, live, nil},
		"short live": {portrait, [][]float32{{1}}, nil},
		"nan":        {portrait, [][]float32{vec(float32(math.NaN()))}, nil},
	} {
		_, err := match.Decide(tc.p, tc.live, match.Threshold)
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", name, err, tc.want)
		}
	}
}

func TestFacesBadInput(t *testing.T) {
	m := newMatcher(t)
	empty := gocv.NewMat()
	defer empty.Close()
	gray := gocv.NewMatWithSize(200, 200, gocv.MatTypeCV8U)
	defer gray.Close()
	if _, err := m.Faces(empty, image.Rectangle{}); !errors.Is(err, analysis.ErrBadFrame) {
		t.Errorf("empty: %v", err)
	}
	if _, err := m.Faces(gray, image.Rectangle{}); !errors.Is(err, analysis.ErrBadFrame) {
		t.Errorf("gray: %v", err)
	}
	blank := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(200, 200, 200, 0), 300, 300, gocv.MatTypeCV8UC3)
	defer blank.Close()
	if _, err := m.Faces(blank, image.Rectangle{}); !errors.Is(err, match.ErrNoFace) {
		t.Errorf("blank: %v, want ErrNoFace", err)
	}
	// A region outside the image, or a sliver of it, finds nothing.
	if _, err := m.Faces(blank, image.Rect(500, 500, 900, 900)); !errors.Is(err, match.ErrNoFace) {
		t.Errorf("outside: %v", err)
	}
	frame := firstFrame(t, clips.Cap13)
	defer frame.Close()
	f, err := m.Largest(frame, image.Rectangle{})
	if err != nil {
		t.Fatal(err)
	}
	tiny := gocv.NewMat()
	defer tiny.Close()
	// The face shrunk to about 20 px wide.
	s := 20 / float64(f.Box.Dx())
	gocv.Resize(frame, &tiny, image.Point{}, s, s, gocv.InterpolationArea)
	if _, err := m.Faces(tiny, image.Rectangle{}); !errors.Is(err, match.ErrFaceTooSmall) && !errors.Is(err, match.ErrNoFace) {
		t.Errorf("tiny face: %v, want ErrFaceTooSmall or ErrNoFace", err)
	}
	m.Close()
	m.Close()
	if _, err := m.Faces(frame, image.Rectangle{}); !errors.Is(err, match.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

// TestRegionCoordinates checks that a face found in a region is reported
// in the whole image's coordinates and described as in the whole image.
func TestRegionCoordinates(t *testing.T) {
	m := newMatcher(t)
	frame := firstFrame(t, clips.Cap13)
	defer frame.Close()
	whole, err := m.Largest(frame, image.Rectangle{})
	if err != nil {
		t.Fatal(err)
	}
	region := whole.Box.Inset(-whole.Box.Dx() / 2)
	part, err := m.Largest(frame, region)
	if err != nil {
		t.Fatal(err)
	}
	if d := part.Box.Min.Sub(whole.Box.Min); abs(d.X) > whole.Box.Dx()/8 || abs(d.Y) > whole.Box.Dy()/8 {
		t.Errorf("box in region %v, in whole image %v", part.Box, whole.Box)
	}
	if d := embed.Distance(part.Descriptor, whole.Descriptor); d > 0.2 {
		t.Errorf("descriptor distance region vs whole %.3f, want < 0.2", d)
	}
}

func firstFrame(tb testing.TB, clip string) gocv.Mat {
	tb.Helper()
	vc, err := gocv.VideoCaptureFile(clips.Path(tb, clip))
	if err != nil {
		tb.Fatal(err)
	}
	defer vc.Close()
	img := gocv.NewMat()
	if !vc.Read(&img) || img.Empty() {
		img.Close()
		tb.Fatal("no frame")
	}
	return img
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// BenchmarkLargest is finding and describing the portrait on a rectified
// ID-1 card's portrait area (350x450 px).
func BenchmarkLargest(b *testing.B) {
	m := newMatcher(b)
	frame := firstFrame(b, clips.Cap13)
	defer frame.Close()
	f, err := m.Largest(frame, image.Rectangle{})
	if err != nil {
		b.Fatal(err)
	}
	crop := frame.Region(portraitBox(f.Box, image.Rect(0, 0, frame.Cols(), frame.Rows())))
	portrait := printAndFilm(b, crop, 1)
	crop.Close()
	defer portrait.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Largest(portrait, image.Rectangle{}); err != nil {
			b.Fatal(err)
		}
	}
}
