package embed_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/models"
)

// chipLandmarks returns 68 landmarks that sit exactly on dlib's mean face
// in chip coordinates, mapped into an image by scale s, rotation θ and
// offset (tx, ty). The jaw points, which the fit ignores, all sit at the
// padded origin.
func chipLandmarks(t *testing.T, s, theta, tx, ty float64) []analysis.Point {
	t.Helper()
	pts := meanFaceLandmarks()
	c, sn := math.Cos(theta), math.Sin(theta)
	for i, p := range pts {
		pts[i] = analysis.Point{X: s*(c*p.X-sn*p.Y) + tx, Y: s*(sn*p.X+c*p.Y) + ty}
	}
	return pts
}

// meanFaceLandmarks places the points dlib aligns on where its mean face
// puts them in a 150-px chip with padding 0.25.
func meanFaceLandmarks() []analysis.Point {
	pts := make([]analysis.Point, analysis.NumLandmarks)
	for i := range pts {
		x, y := embed.MeanFace(i)
		pts[i] = analysis.Point{
			X: (embed.ChipPadding + x) / (2*embed.ChipPadding + 1) * embed.ChipSize,
			Y: (embed.ChipPadding + y) / (2*embed.ChipPadding + 1) * embed.ChipSize,
		}
	}
	return pts
}

func TestAlign(t *testing.T) {
	tests := []struct {
		name             string
		s, theta, tx, ty float64
	}{
		{"identity", 1, 0, 0, 0},
		{"larger, turned, moved", 2.5, 0.3, 40, -12},
		{"smaller, turned the other way", 0.6, -0.5, 100, 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := embed.Align(chipLandmarks(t, tt.s, tt.theta, tt.tx, tt.ty))
			if err != nil {
				t.Fatal(err)
			}
			// dlib's chip spans 150·s − 1 image pixels over 149 steps.
			k := (embed.ChipSize*tt.s - 1) / (embed.ChipSize - 1)
			if got := a.Scale(); math.Abs(got-k) > 1e-9 {
				t.Errorf("scale = %v, want %v", got, k)
			}
			if got := math.Atan2(a[3], a[0]); math.Abs(got-tt.theta) > 1e-9 {
				t.Errorf("angle = %v, want %v", got, tt.theta)
			}
			// The chip's centre maps to the similarity's image of (75, 75)
			// shifted by half a step, as in dlib.
			c, sn := math.Cos(tt.theta), math.Sin(tt.theta)
			wantX := tt.s*(c*75-sn*75) + tt.tx
			wantY := tt.s*(sn*75+c*75) + tt.ty
			got := a.Apply(74.5, 74.5)
			if math.Hypot(got.X-wantX, got.Y-wantY) > 1e-6 {
				t.Errorf("centre = %v, want (%v, %v)", got, wantX, wantY)
			}
		})
	}
}

func TestAlignRejects(t *testing.T) {
	nan := meanFaceLandmarks()
	nan[40].X = math.NaN()
	same := make([]analysis.Point, analysis.NumLandmarks)
	for name, lm := range map[string][]analysis.Point{
		"none": nil, "five": make([]analysis.Point, 5), "not finite": nan, "all in one point": same,
	} {
		if _, err := embed.Align(lm); !errors.Is(err, embed.ErrLandmarks) {
			t.Errorf("%s: err = %v, want ErrLandmarks", name, err)
		}
	}
}

func TestDistance(t *testing.T) {
	a := []float32{1, 0, 0}
	b := []float32{0, 1, 0}
	if got, want := embed.Distance(a, b), math.Sqrt2; math.Abs(got-want) > 1e-12 {
		t.Errorf("Distance = %v, want %v", got, want)
	}
	if got := embed.Distance(a, a); got != 0 {
		t.Errorf("Distance to itself = %v", got)
	}
	if got := embed.Distance(a, b[:2]); !math.IsInf(got, 1) {
		t.Errorf("Distance of different lengths = %v, want +Inf", got)
	}
	v := []float32{3, 4}
	if n := embed.Normalize(v); n != 5 || v[0] != 0.6 || v[1] != 0.8 {
		t.Errorf("Normalize = %v, %v", n, v)
	}
}

func TestEmbedRejectsBadInput(t *testing.T) {
	e := embedder(t)
	good := gocv.NewMatWithSize(120, 160, gocv.MatTypeCV8UC3)
	defer good.Close()
	gray := gocv.NewMatWithSize(120, 160, gocv.MatTypeCV8U)
	defer gray.Close()
	empty := gocv.NewMat()
	defer empty.Close()
	lm := chipLandmarks(t, 0.5, 0, 30, 20)
	tests := []struct {
		name string
		img  gocv.Mat
		lm   []analysis.Point
		want error
	}{
		{"empty image", empty, lm, analysis.ErrBadFrame},
		{"gray image", gray, lm, analysis.ErrBadFrame},
		{"no landmarks", good, nil, embed.ErrLandmarks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.Embed(tt.img, tt.lm); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	// A face partly or wholly outside the image still gives a descriptor
	// (the chip is black there, as in dlib), and a huge face takes the
	// pyramid path.
	for name, lm := range map[string][]analysis.Point{
		"outside": chipLandmarks(t, 0.5, 0, 500, 500),
		"huge":    chipLandmarks(t, 6, 0.2, -200, -300),
	} {
		d, err := e.Embed(good, lm)
		if err != nil || len(d) != embed.Size {
			t.Errorf("%s: %d values, err %v", name, len(d), err)
		}
	}
}

func TestLoadAndClose(t *testing.T) {
	e, err := embed.Load(models.Default())
	if err != nil {
		t.Fatal(err)
	}
	img := gocv.NewMatWithSize(120, 160, gocv.MatTypeCV8UC3)
	defer img.Close()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := e.Embed(img, chipLandmarks(t, 0.5, 0, 30, 20)); !errors.Is(err, embed.ErrClosed) {
		t.Errorf("Embed after Close: err = %v, want ErrClosed", err)
	}
	// A missing model is the registry's error, naming how to generate it;
	// OpenCV never sees the path.
	reg := models.New(models.Known, t.TempDir(), models.WithGeneratedDirs())
	_, err = embed.Load(reg)
	if !models.IsMissing(err) || !strings.Contains(err.Error(), "make models") || !strings.Contains(err.Error(), "@vladmandic/face-api@1.7.15") {
		t.Errorf("missing model: err = %v, want ErrMissing naming `make models` and the npm package", err)
	}
}
