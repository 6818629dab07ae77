package embed

import (
	"fmt"
	"math"

	"github.com/unmaskhq/unmask/analysis"
)

// ChipSize is the side of the aligned face chip the network reads.
const ChipSize = 150

// ChipPadding is the margin around the mean face, as a fraction of its
// size, that dlib's face-recognition example uses (get_face_chip_details
// with padding 0.25).
const ChipPadding = 0.25

// meanFace is dlib's mean face shape for landmarks 17-67, normalised to
// [0,1] (dlib/image_transforms/interpolation.h, get_face_chip_details).
var meanFaceX = [51]float64{
	0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
	0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
	0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
	0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
	0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
	0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
	0.553364, 0.490127, 0.42689,
}

var meanFaceY = [51]float64{
	0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
	0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
	0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
	0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
	0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
	0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
	0.784792, 0.824182, 0.831803, 0.824182,
}

// MeanFace returns where dlib's mean face puts landmark i (17-67) in
// [0,1]² before padding; 0, 0 for the jaw (0-16), which it does not model.
func MeanFace(i int) (x, y float64) {
	if i < 17 || i >= analysis.NumLandmarks {
		return 0, 0
	}
	return meanFaceX[i-17], meanFaceY[i-17]
}

// alignedPoints reports whether landmark i takes part in the fit: dlib
// ignores the jaw (0-16), the brows (17-26) and the lower lip (55-59,
// 65-67), which move with expression.
func alignedPoints(i int) bool {
	return i >= 27 && !(i >= 55 && i <= 59) && !(i >= 65 && i <= 67)
}

// Affine maps chip pixel (x, y) to image position
// (M[0]x + M[1]y + M[2], M[3]x + M[4]y + M[5]).
type Affine [6]float64

// Apply maps a chip position to the image.
func (a Affine) Apply(x, y float64) analysis.Point {
	return analysis.Point{X: a[0]*x + a[1]*y + a[2], Y: a[3]*x + a[4]*y + a[5]}
}

// Scale is the image distance, in pixels, between neighbouring chip pixels.
func (a Affine) Scale() float64 { return math.Hypot(a[0], a[3]) }

// Align returns the mapping from the ChipSize×ChipSize chip to the image
// for a face with dlib's 68 landmarks, exactly as dlib builds it:
// find_similarity_transform from the padded mean-face points (in chip
// pixels) to the landmarks gives rotation θ, scale s and the centre
// c = T(75, 75); the chip's corner pixels (0,0), (149,0), (0,149) then map
// to the corners of a rectangle of side 150·s − 1 centred on c, rotated
// by θ (chip_details and extract_image_chips).
func Align(landmarks []analysis.Point) (Affine, error) {
	if len(landmarks) != analysis.NumLandmarks {
		return Affine{}, fmt.Errorf("%w: got %d points", ErrLandmarks, len(landmarks))
	}
	var chip, img []analysis.Point
	for i := 17; i < analysis.NumLandmarks; i++ {
		p := landmarks[i]
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
			return Affine{}, fmt.Errorf("%w: point %d is not finite", ErrLandmarks, i)
		}
		if !alignedPoints(i) {
			continue
		}
		chip = append(chip, analysis.Point{
			X: (ChipPadding + meanFaceX[i-17]) / (2*ChipPadding + 1) * ChipSize,
			Y: (ChipPadding + meanFaceY[i-17]) / (2*ChipPadding + 1) * ChipSize,
		})
		img = append(img, p)
	}
	a, b, tx, ty, ok := analysis.FitSimilarity(chip, img)
	s := math.Hypot(a, b)
	if !ok || s < 1e-3 {
		return Affine{}, fmt.Errorf("%w: degenerate landmarks", ErrLandmarks)
	}
	cos, sin := a/s, b/s
	const half = ChipSize / 2.0
	cx, cy := a*half-b*half+tx, b*half+a*half+ty
	// Step between chip pixels: the rectangle spans 150·s − 1 image
	// pixels over 149 chip steps (dlib's centered_drect subtracts one).
	k := (ChipSize*s - 1) / (ChipSize - 1)
	const mid = (ChipSize - 1) / 2.0
	return Affine{
		k * cos, -k * sin, cx - k*(cos*mid-sin*mid),
		k * sin, k * cos, cy - k*(sin*mid+cos*mid),
	}, nil
}
