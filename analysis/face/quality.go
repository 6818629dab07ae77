package face

import (
	"image"
	"math"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// Quality factors. Each maps one measurement to [0,1]; Face.Quality is
// their product, so any one bad factor is enough to distrust a frame.
// Distributions on the real clips (franck, cap12, cap13; 6902 frames, all
// with a clear face; see docs/PERFORMANCE.md) set the thresholds so that
// ordinary frames score 1 on each factor:
//   - size: dlib's predictor is trained on faces of 80 px and more;
//     below 40 px its points are unreliable.
//   - fit: RMS reprojection error of the posed mean face over the
//     interocular distance. Real faces against the generic mean face:
//     median 0.094-0.105, p95 0.121-0.135, max 0.151. Full credit up to
//     0.14, none from 0.30 (twice the worst real frame): landmarks that far
//     from any rigid face are a failed fit.
//   - exposure: mean face intensity; real clips 84-150. Webcam faces below
//     ~30 or above ~235 are crushed or clipped.
//   - sharpness: variance of the Laplacian in the face box (Pech-Pacheco et
//     al. 2000); real clips never go below 27 (p5 40-66). Below 20 credit
//     falls, reaching 0 at 5, where a face is smeared by motion blur.
//   - pose: the frontal model and the 68-point markup degrade beyond
//     ~35° of yaw (the clips reach ±26°).
func (a *Analyzer) measure(gray gocv.Mat, f *analysis.Face, w, h int) {
	box := f.Box.Intersect(image.Rect(0, 0, w, h))
	if box.Dx() < 4 || box.Dy() < 4 {
		f.Quality = 0
		return
	}
	roi := gray.Region(box)
	gocv.MeanStdDev(roi, &a.mean, &a.std)
	f.Brightness = a.mean.GetDoubleAt(0, 0)
	gocv.Laplacian(roi, &a.lap, gocv.MatTypeCV16S, 1, 1, 0, gocv.BorderDefault)
	roi.Close()
	gocv.MeanStdDev(a.lap, &a.mean, &a.std)
	sd := a.std.GetDoubleAt(0, 0)
	f.Sharpness = sd * sd

	side := float64(min(f.Box.Dx(), f.Box.Dy()))
	size := clamp01((side - 40) / (80 - 40))
	fit := 0.0
	// A failed pose fit reports an infinite or NaN error: no credit, and
	// no NaN leaking into the product.
	if iod := analysis.Interocular(f.Landmarks); iod > 1 && !math.IsInf(f.Pose.ReprojError, 0) && !math.IsNaN(f.Pose.ReprojError) {
		fit = clamp01(1 - (f.Pose.ReprojError/iod-0.14)/0.16)
	}
	exposure := clamp01(math.Min((f.Brightness-30)/30, (235-f.Brightness)/30))
	sharp := clamp01((f.Sharpness - 5) / (20 - 5))
	pose := clamp01(1 - (math.Abs(f.Pose.Yaw)-35)/25)
	conf := 0.5 + 0.5*f.Confidence // the tracker can be unsure while the face is fine
	f.Quality = size * fit * exposure * sharp * pose * conf
	if math.IsNaN(f.Quality) {
		f.Quality = 0
	}
}

// haarToDlib maps an OpenCV Haar face box to the box convention of dlib's
// HOG detector, which the landmark model was trained on. Haar boxes are
// larger and reach higher up the forehead; the factors were fitted on the
// real clips where both detectors fire (see TestHaarToDlibCalibration).
func haarToDlib(r image.Rectangle) image.Rectangle {
	const scale, dy = haarScale, haarShiftY
	cx := float64(r.Min.X+r.Max.X) / 2
	cy := float64(r.Min.Y+r.Max.Y)/2 + dy*float64(r.Dy())
	half := scale * float64(r.Dx()) / 2
	return image.Rect(int(cx-half), int(cy-half), int(cx+half+0.5), int(cy+half+0.5))
}
