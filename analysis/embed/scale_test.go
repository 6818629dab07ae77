package embed_test

import (
	"image"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// TestEmbedScaleInvariant embeds real faces from cap13 at their size and
// enlarged 2.5x and 4x (the chip then comes through one or two pyramid
// levels, as a 1080p webcam or a scanned ID portrait would): the
// descriptor must barely move compared with the 0.6 threshold.
func TestEmbedScaleInvariant(t *testing.T) {
	e := embedder(t)
	big := gocv.NewMat()
	defer big.Close()
	n := 0
	eachFace(t, clips.Cap13, 150, func(f faceFrame, img gocv.Mat) bool {
		base, err := e.Embed(img, f.landmarks)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []float64{2.5, 4} {
			gocv.Resize(img, &big, image.Point{}, s, s, gocv.InterpolationCubic)
			lm := make([]analysis.Point, len(f.landmarks))
			for i, p := range f.landmarks {
				// Pixel centres: x' = (x + 0.5)·s − 0.5.
				lm[i] = analysis.Point{X: (p.X+0.5)*s - 0.5, Y: (p.Y+0.5)*s - 0.5}
			}
			d, err := e.Embed(big, lm)
			if err != nil {
				t.Fatal(err)
			}
			dist := embed.Distance(base, d)
			t.Logf("frame %d (face %d px) x%.1f: distance %.3f", f.index, f.box, s, dist)
			if dist > 0.15 {
				t.Errorf("frame %d x%.1f: distance %.3f to the original size, want < 0.15", f.index, s, dist)
			}
		}
		n++
		return n < 4
	})
	if n == 0 {
		t.Fatal("no face in cap13")
	}
}
