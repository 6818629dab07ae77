package embed

import "math"

// Distance is the Euclidean distance between two descriptors; below
// SamePerson they are taken to show the same person. Descriptors of
// different lengths are infinitely far apart.
func Distance(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return math.Inf(1)
	}
	var s float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

// Norm is the Euclidean length of d.
func Norm(d []float32) float64 {
	var s float64
	for _, v := range d {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s)
}

// Normalize scales d to unit length in place and returns its length
// before; a zero vector is left alone. Distances between normalised
// descriptors are not on SamePerson's scale (see Embed).
func Normalize(d []float32) float64 {
	n := Norm(d)
	if n == 0 {
		return 0
	}
	for i := range d {
		d[i] = float32(float64(d[i]) / n)
	}
	return n
}
