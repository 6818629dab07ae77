package embed_test

import (
	"sync"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// faceFrame is one sampled frame of a real clip with its face.
type faceFrame struct {
	clip      string
	index     int
	landmarks []analysis.Point
	box       int // face box side, px
}

// eachFace decodes clip and calls fn on every step-th frame in which
// dlib's HOG detector finds a face, with the 68 landmarks of the largest
// face, until fn returns false. img is only valid during fn.
func eachFace(tb testing.TB, clip string, step int, fn func(f faceFrame, img gocv.Mat) bool) {
	tb.Helper()
	lm := facetest.Models(tb).Landmarks
	det, err := face.NewHOGDetector(0)
	if err != nil {
		tb.Fatal(err)
	}
	defer det.Close()
	vc, err := gocv.VideoCaptureFileWithAPI(clips.Path(tb, clip), gocv.VideoCaptureFFmpeg)
	if err != nil {
		tb.Fatalf("open %s: %v", clip, err)
	}
	defer vc.Close()
	img, gray := gocv.NewMat(), gocv.NewMat()
	defer img.Close()
	defer gray.Close()
	for i := 0; vc.Read(&img); i++ {
		if img.Empty() {
			break
		}
		if i%step != 0 {
			continue
		}
		gocv.CvtColor(img, &gray, gocv.ColorBGRToGray)
		dets, err := det.Detect(gray)
		if err != nil {
			tb.Fatalf("%s frame %d: detect: %v", clip, i, err)
		}
		if len(dets) == 0 {
			continue
		}
		best := dets[0]
		for _, d := range dets[1:] {
			if d.Box.Dx()*d.Box.Dy() > best.Box.Dx()*best.Box.Dy() {
				best = d
			}
		}
		pts, err := lm.Predict(gray, best.Box)
		if err != nil {
			tb.Fatalf("%s frame %d: landmarks: %v", clip, i, err)
		}
		if !fn(faceFrame{clip: clip, index: i, landmarks: pts, box: best.Box.Dx()}, img) {
			return
		}
	}
}

// described is a sampled frame with its descriptor and the descriptor's
// length.
type described struct {
	faceFrame
	desc []float32
	norm float64
}

// Frames sampled per clip: about every 4 s of franck (200 s), every 2 s
// of cap12 (53 s) and every second of cap13 (31 s), ~40 faces each.
var sampleSteps = map[string]int{clips.Franck: 120, clips.Cap12: 35, clips.Cap13: 20}

var (
	descOnce sync.Once
	descs    map[string][]described
)

// descriptors embeds the sampled faces of the three clips once per test
// binary.
func descriptors(tb testing.TB) map[string][]described {
	tb.Helper()
	e := embedder(tb)
	descOnce.Do(func() {
		descs = map[string][]described{}
		for _, clip := range []string{clips.Franck, clips.Cap12, clips.Cap13} {
			eachFace(tb, clip, sampleSteps[clip], func(f faceFrame, img gocv.Mat) bool {
				raw, err := e.Embed(img, f.landmarks)
				if err != nil {
					tb.Fatalf("%s frame %d: %v", clip, f.index, err)
				}
				descs[clip] = append(descs[clip], described{faceFrame: f, desc: raw, norm: embed.Norm(raw)})
				return true
			})
		}
	})
	if len(descs) != 3 {
		tb.Fatalf("descriptors: got faces from %d clips, want 3", len(descs))
	}
	return descs
}
