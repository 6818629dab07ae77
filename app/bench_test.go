package app

import (
	"encoding/json"
	"image"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// realFrame returns frame 100 of cap13 (400x300), scaled to w x h.
func realFrame(b *testing.B, w, h int) gocv.Mat {
	b.Helper()
	vc, err := gocv.OpenVideoCapture(clips.Path(b, clips.Cap13))
	if err != nil {
		b.Fatal(err)
	}
	defer vc.Close()
	img := gocv.NewMat()
	for i := 0; i <= 100; i++ {
		if !vc.Read(&img) {
			b.Fatal("cannot read cap13")
		}
	}
	if img.Cols() == w && img.Rows() == h {
		return img
	}
	out := gocv.NewMat()
	gocv.Resize(img, &out, image.Pt(w, h), 0, 0, gocv.InterpolationLinear)
	img.Close()
	return out
}

// BenchmarkDisplayJPEG is what the picture of one frame costs the
// decoding goroutine of a live call (at most 12 a second) and the review
// spool (every frame).
func BenchmarkDisplayJPEG(b *testing.B) {
	for _, sz := range []struct {
		name string
		w, h int
	}{{"400x300", 400, 300}, {"640x480", 640, 480}, {"1280x720", 1280, 720}} {
		b.Run(sz.name, func(b *testing.B) {
			img := realFrame(b, sz.w, sz.h)
			defer img.Close()
			f := analysis.Frame{Image: img}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := encodeFrame(f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSpool writes and reads back one 400x300 display frame.
func BenchmarkSpool(b *testing.B) {
	img := realFrame(b, 400, 300)
	jpeg, err := encodeFrame(analysis.Frame{Image: img})
	img.Close()
	if err != nil {
		b.Fatal(err)
	}
	s, err := newFrameSpool(filepath.Join(b.TempDir(), "spool"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetBytes(int64(len(jpeg)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		i, err := s.Append(jpeg)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok, err := s.Frame(i); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkOverlayEvent is the JSON of one overlay event (68 landmarks,
// seven signals), as the window's event bridge encodes it 12 times a
// second per live source.
func BenchmarkOverlayEvent(b *testing.B) {
	ov := Overlay{Source: "live", ID: "0123456789abcdef", Frame: 1234, TimeMS: 49360, Width: 640, Height: 480,
		Box: &Rect{X: 200, Y: 120, W: 180, H: 180}, Level: "low", Signals: emptySignals(), FrameURL: frameURL("live", "0123456789abcdef", 1234)}
	for i := range 68 {
		ov.Landmarks = append(ov.Landmarks, 200+float64(i)*2.5, 120+float64(i)*2.5)
	}
	for i := range ov.Signals {
		ov.Signals[i].Score, ov.Signals[i].Reason = 0.12, "the face moves with the head"
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		js, err := json.Marshal(ov)
		if err != nil {
			b.Fatal(err)
		}
		n = len(js)
	}
	b.ReportMetric(float64(n), "bytes/event")
}
