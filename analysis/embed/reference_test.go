package embed_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/internal/facerec"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// tarballPath is where build/models.sh caches the npm tarball.
func tarballPath(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot locate the source tree")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "build", "cache", facerec.Tarball)
}

// TestONNXMatchesReference runs real face chips through the generated
// ONNX model in OpenCV and through a plain-Go transcription of face-api's
// forward pass on the original tfjs weights: the conversion (weight
// layout, folding of bias, scale and input normalisation, padding of the
// down blocks) must reproduce the network to float32 precision.
func TestONNXMatchesReference(t *testing.T) {
	w, err := facerec.ReadTarball(tarballPath(t))
	if err != nil {
		t.Fatalf("%v; run `make models`", err)
	}
	e := embedder(t)
	chip, rgb := gocv.NewMat(), gocv.NewMat()
	defer chip.Close()
	defer rgb.Close()
	n := 0
	for _, clip := range []string{clips.Cap13, clips.Franck} {
		eachFace(t, clip, 400, func(f faceFrame, img gocv.Mat) bool {
			n++
			got, err := e.Embed(img, f.landmarks)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Chip(img, f.landmarks, &chip); err != nil {
				t.Fatal(err)
			}
			gocv.CvtColor(chip, &rgb, gocv.ColorBGRToRGB)
			want, err := facerec.Reference(w, rgb.ToBytes())
			if err != nil {
				t.Fatal(err)
			}
			diff := embed.Distance(got, want)
			t.Logf("%s frame %d: |ONNX − reference| = %.2g (descriptor length %.3f)", clip, f.index, diff, embed.Norm(want))
			if diff > 1e-4 {
				t.Errorf("%s frame %d: ONNX and reference differ by %.3g", clip, f.index, diff)
			}
			return n < 3
		})
	}
	if n == 0 {
		t.Fatal("no face found")
	}
}
