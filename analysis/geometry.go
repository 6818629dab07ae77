package analysis

import "math"

// Landmark geometry shared by the stages that read the 68 points.

// Centroid is the mean of the points.
func Centroid(p []Point) Point {
	var c Point
	for _, q := range p {
		c.X += q.X
		c.Y += q.Y
	}
	n := float64(max(1, len(p)))
	return Point{X: c.X / n, Y: c.Y / n}
}

// EyeCentre is the mean of the six points of the eye starting at from (36
// for the image's left eye, 42 for the right).
func EyeCentre(p []Point, from int) Point { return Centroid(p[from : from+6]) }

// MouthCentre is the mean of the twelve outer-lip points (48-59).
func MouthCentre(p []Point) Point { return Centroid(p[48:60]) }

// Interocular is the distance between the eye centres, the usual scale of
// a face in landmark units; 0 without 68 points.
func Interocular(p []Point) float64 {
	if len(p) != NumLandmarks {
		return 0
	}
	l, r := EyeCentre(p, 36), EyeCentre(p, 42)
	return math.Hypot(r.X-l.X, r.Y-l.Y)
}

// FitSimilarity fits dst ≈ [a −b; b a]·src + t by least squares (the 2D
// Umeyama solution without reflection); ok is false for degenerate src.
func FitSimilarity(src, dst []Point) (a, b, tx, ty float64, ok bool) {
	n := float64(len(src))
	if n == 0 || len(dst) != len(src) {
		return 0, 0, 0, 0, false
	}
	var sx, sy, dx, dy float64
	for i := range src {
		sx, sy, dx, dy = sx+src[i].X, sy+src[i].Y, dx+dst[i].X, dy+dst[i].Y
	}
	sx, sy, dx, dy = sx/n, sy/n, dx/n, dy/n
	var n1, n2, den float64
	for i := range src {
		x, y, u, w := src[i].X-sx, src[i].Y-sy, dst[i].X-dx, dst[i].Y-dy
		n1 += x*u + y*w
		n2 += x*w - y*u
		den += x*x + y*y
	}
	if den < 1e-9 {
		return 0, 0, 0, 0, false
	}
	a, b = n1/den, n2/den
	return a, b, dx - (a*sx - b*sy), dy - (b*sx + a*sy), true
}
