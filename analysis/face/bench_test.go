package face

import (
	"image"
	"sort"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// vga is the benchmark input size the issue targets: 640x480.
var vga = image.Pt(640, 480)

// loadFrames decodes n consecutive frames of a real clip, resized to size.
// The caller closes them.
func loadFrames(b *testing.B, clip string, n int, size image.Point) []analysis.Frame {
	b.Helper()
	var out []analysis.Frame
	eachFrame(b, clip, 1, size, func(f *analysis.Frame) bool {
		c := analysis.Frame{Index: f.Index, Time: f.Time, Image: f.Image.Clone()}
		out = append(out, c)
		return len(out) < n
	})
	return out
}

func closeFrames(fs []analysis.Frame) {
	for i := range fs {
		fs[i].Close()
	}
}

func grayFrames(fs []analysis.Frame) []gocv.Mat {
	g := make([]gocv.Mat, len(fs))
	for i := range fs {
		g[i] = gocv.NewMat()
		gocv.CvtColor(fs[i].Image, &g[i], gocv.ColorBGRToGray)
	}
	return g
}

func closeMats(ms []gocv.Mat) {
	for i := range ms {
		ms[i].Close()
	}
}

func benchDetector(b *testing.B, d Detector, size image.Point) {
	fs := loadFrames(b, clips.Franck, 50, size)
	defer closeFrames(fs)
	g := grayFrames(fs)
	defer closeMats(g)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Detect(g[i%len(g)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetectHOG(b *testing.B) {
	d, err := NewHOGDetector(0)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	benchDetector(b, d, vga)
}

// BenchmarkDetectHaar measures the fallback cascade as the analyzer runs
// it: on a 320x240 copy of the frame (Config.FallbackMaxSide).
func BenchmarkDetectHaar(b *testing.B) {
	d, err := NewCascadeDetector("haar", testModels(b).HaarFrontal, 24)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	benchDetector(b, d, image.Pt(320, 240))
}

func BenchmarkLandmarks(b *testing.B) {
	m := testModels(b)
	fs := loadFrames(b, clips.Franck, 50, vga)
	defer closeFrames(fs)
	g := grayFrames(fs)
	defer closeMats(g)
	hog, _ := NewHOGDetector(0)
	defer hog.Close()
	boxes := make([]image.Rectangle, len(g))
	for i := range g {
		d, _ := hog.Detect(g[i])
		if len(d) == 0 {
			b.Fatalf("no face in frame %d", i)
		}
		boxes[i] = d[0].Box
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Landmarks.Predict(g[i%len(g)], boxes[i%len(g)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTrack(b *testing.B) {
	fs := loadFrames(b, clips.Franck, 100, vga)
	defer closeFrames(fs)
	g := grayFrames(fs)
	defer closeMats(g)
	hog, _ := NewHOGDetector(0)
	defer hog.Close()
	d, _ := hog.Detect(g[0])
	if len(d) == 0 {
		b.Fatal("no face")
	}
	tr, _ := NewTracker()
	defer tr.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(g)
		if k == 0 {
			b.StopTimer()
			tr.Start(g[0], d[0].Box)
			b.StartTimer()
			continue
		}
		if _, _, err := tr.Update(g[k], k%5 == 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPose(b *testing.B) {
	p := testModels(b).Pose
	pts := project(p, 10, 5, 3, 600, 640, 480)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Estimate(pts, 640, 480); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzer is the whole per-frame pipeline (BGR→gray, scheduled
// detection, tracking, landmarks, pose, quality) over consecutive 640x480
// frames of a real clip, so detection runs on its real schedule.
func BenchmarkAnalyzer(b *testing.B) {
	fs := loadFrames(b, clips.Franck, 240, vga)
	defer closeFrames(fs)
	a, err := NewAnalyzer(testModels(b), Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	span := fs[len(fs)-1].Time + fs[1].Time
	per := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := fs[i%len(fs)]
		// Keep media time increasing across loops so the schedule holds.
		f.Time += span * time.Duration(i/len(fs))
		t := time.Now()
		if _, err := a.Analyze(&f); err != nil {
			b.Fatal(err)
		}
		per = append(per, time.Since(t))
	}
	b.StopTimer()
	// The target is the median frame; detection frames (one in
	// twelve at 24 fps) sit in the tail, so report both.
	sort.Slice(per, func(i, j int) bool { return per[i] < per[j] })
	b.ReportMetric(ms(per[len(per)/2]), "median-ms")
	b.ReportMetric(ms(per[len(per)*95/100]), "p95-ms")
}
