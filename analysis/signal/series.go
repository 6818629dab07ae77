package signal

import (
	"image"
	"math"
	"sort"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// series keeps time-ordered samples for a bounded span of media time.
type series[T any] struct {
	t    []time.Duration
	v    []T
	keep time.Duration
}

func (s *series[T]) add(t time.Duration, v T) {
	if n := len(s.t); n > 0 && t < s.t[n-1] {
		return // out of order: frames arrive in time order, a stray one is ignored
	}
	s.t = append(s.t, t)
	s.v = append(s.v, v)
	if cut := t - s.keep; s.keep > 0 && s.t[0] < cut {
		i := sort.Search(len(s.t), func(i int) bool { return s.t[i] >= cut })
		// Move the tail down instead of reslicing, so the backing array
		// does not grow without bound over a long interview.
		n := copy(s.t, s.t[i:])
		copy(s.v, s.v[i:])
		clear(s.v[n:])
		s.t, s.v = s.t[:n], s.v[:n]
	}
}

// span returns the samples with start < t <= end (views, not copies).
func (s *series[T]) span(start, end time.Duration) ([]time.Duration, []T) {
	i := sort.Search(len(s.t), func(i int) bool { return s.t[i] > start })
	j := sort.Search(len(s.t), func(i int) bool { return s.t[i] > end })
	return s.t[i:j], s.v[i:j]
}

// ramp maps x linearly from lo (0) to hi (1), clamped.
func ramp(x, lo, hi float64) float64 {
	if math.IsNaN(x) || hi <= lo {
		return 0
	}
	return math.Max(0, math.Min(1, (x-lo)/(hi-lo)))
}

// median returns the median of v (reordering a copy), or NaN when empty.
func median(v []float64) float64 {
	return quantile(v, 0.5)
}

// quantile returns the q-quantile (nearest rank) of v, or NaN when empty.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	return c[int(q*float64(len(c)-1)+0.5)]
}

// usable reports whether r carries a trustworthy face with pixel statistics.
func usable(r analysis.FrameResult, minQuality float64) bool {
	return r.HasFace() && r.Face.Quality >= minQuality && len(r.Face.Landmarks) == analysis.NumLandmarks &&
		r.Measures != nil && r.Measures.Face != nil
}

// Canonical crop masks (analysis.CropSize): the face interior, an ellipse
// inside the jaw and below the brows, and the ring around the head, where
// hair, ears, neck and background are.
var cropInterior, cropRing = cropMasks()

func cropMasks() (interior, ring []bool) {
	n := analysis.CropSize
	interior, ring = make([]bool, n*n), make([]bool, n*n)
	cx, cy := float64(n)/2, 36.0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			e := func(rx, ry float64) float64 { return dx*dx/(rx*rx) + dy*dy/(ry*ry) }
			switch {
			case e(12, 13) <= 1:
				interior[y*n+x] = true
			case e(18, 20) > 1 && e(25, 27) <= 1:
				ring[y*n+x] = true
			}
		}
	}
	return interior, ring
}

// maskedNCC is the normalised correlation of a and b over mask.
func maskedNCC(a []uint8, b []float32, mask []bool) float64 {
	var sa, sb, saa, sbb, sab, n float64
	for i, m := range mask {
		if !m || i >= len(a) || i >= len(b) {
			continue
		}
		x, y := float64(a[i]), float64(b[i])
		sa, sb, saa, sbb, sab, n = sa+x, sb+y, saa+x*x, sbb+y*y, sab+x*y, n+1
	}
	if n < 2 {
		return math.NaN()
	}
	den := math.Sqrt((saa - sa*sa/n) * (sbb - sb*sb/n))
	if den < 1e-9 {
		return math.NaN()
	}
	return (sab - sa*sb/n) / den
}

// blend moves the running reference ref toward crop by alpha (a first
// order low-pass); an empty ref starts at crop.
func blend(ref []float32, crop []uint8, alpha float32) []float32 {
	if len(ref) != len(crop) {
		ref = make([]float32, len(crop))
		for i, v := range crop {
			ref[i] = float32(v)
		}
		return ref
	}
	for i, v := range crop {
		ref[i] += alpha * (float32(v) - ref[i])
	}
	return ref
}

// faceRegion is the face box grown by a fraction of its size, clipped to
// the frame: the region a reviewer should look at.
func faceRegion(r analysis.FrameResult, grow float64) image.Rectangle {
	if r.Face == nil {
		return image.Rectangle{}
	}
	b := r.Face.Box
	dx, dy := int(float64(b.Dx())*grow), int(float64(b.Dy())*grow)
	return image.Rect(b.Min.X-dx, b.Min.Y-dy, b.Max.X+dx, b.Max.Y+dy).Intersect(image.Rect(0, 0, r.Width, r.Height))
}

// part is one component of a signal with its reason.
type part struct {
	v    float64
	text string
}

// addParts scores s as its strongest part and gives the reason of every
// part that scored.
func (s *Score) addParts(parts []part) {
	for _, p := range parts {
		if p.v > 0 {
			s.Reasons = append(s.Reasons, p.text)
		}
		s.Value = math.Max(s.Value, p.v)
	}
}
