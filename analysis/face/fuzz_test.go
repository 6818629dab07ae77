package face

import (
	"testing"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/models"
)

// FuzzMeanFace: any bytes given as the mean-face model (for example a
// damaged $UNMASK_MODELS copy) yield an error or a usable estimator, never
// a crash in Go or in solvePnP.
func FuzzMeanFace(f *testing.F) {
	good, err := models.Default().Bytes(models.MeanFace3D)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"points":[]}`))
	f.Add([]byte(`{"points":[{"landmark":1},{"landmark":1},{"landmark":1},{"landmark":1},{"landmark":1},{"landmark":1}]}`))
	f.Add([]byte(`{"points":[{"landmark":-1,"x":1e308}]}`))
	pts := make([]analysis.Point, analysis.NumLandmarks)
	for i := range pts {
		pts[i] = analysis.Point{X: float64(100 + i%17*5), Y: float64(100 + i/17*20)}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := NewPoseEstimator(b)
		if err != nil {
			return
		}
		p.Estimate(pts, 640, 480) // an error is fine; a crash is not
	})
}
