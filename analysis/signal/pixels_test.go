package signal_test

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/signal"
)

// The pixel signals are checked on real face results of franck.mp4 with
// their statistics altered the way a manipulation alters them, against
// the same results unaltered. The corpus evaluation (unmask eval) checks
// them on rendered manipulations.

// edit returns a deep copy of rs with fn applied to each copy.
func edit(rs []analysis.FrameResult, fn func(i int, r *analysis.FrameResult)) []analysis.FrameResult {
	out := make([]analysis.FrameResult, len(rs))
	for i, r := range rs {
		c := r
		if r.Face != nil {
			f := *r.Face
			f.Landmarks = append([]analysis.Point(nil), r.Face.Landmarks...)
			c.Face = &f
		}
		if r.Measures != nil {
			m := *r.Measures
			if r.Measures.Face != nil {
				fm := *r.Measures.Face
				fm.Crop = append([]uint8(nil), r.Measures.Face.Crop...)
				m.Face = &fm
			}
			c.Measures = &m
		}
		fn(i, &c)
		out[i] = c
	}
	return out
}

// peak feeds rs to s and returns the highest valid score over windows
// ending every second, and how many windows were valid.
func peak(s signal.Signal, rs []analysis.FrameResult) (float64, int, signal.Score) {
	best, valid := 0.0, 0
	var top signal.Score
	next := 2 * time.Second
	for _, r := range rs {
		for r.Time > next {
			sc := s.Score(next)
			if sc.Valid {
				valid++
				if sc.Value >= best {
					best, top = sc.Value, sc
				}
			}
			next += time.Second
		}
		if err := s.Observe(r); err != nil {
			panic(err)
		}
	}
	return best, valid, top
}

func window(rs []analysis.FrameResult, from, to time.Duration) []analysis.FrameResult {
	var out []analysis.FrameResult
	for _, r := range rs {
		if r.Time >= from && r.Time < to {
			out = append(out, r)
		}
	}
	return out
}

func TestTemporalJitter(t *testing.T) {
	rs := window(talker(t), 0, 12*time.Second)
	real, n, _ := peak(signal.NewTemporal(signal.TemporalConfig{}), rs)
	rng := rand.New(rand.NewSource(3))
	jittered := edit(rs, func(i int, r *analysis.FrameResult) {
		if r.Face == nil {
			return
		}
		dx, dy := 2.5*rng.NormFloat64(), 2.5*rng.NormFloat64()
		for k := range r.Face.Landmarks {
			r.Face.Landmarks[k].X += dx
			r.Face.Landmarks[k].Y += dy
		}
	})
	fake, _, top := peak(signal.NewTemporal(signal.TemporalConfig{}), jittered)
	t.Logf("real %.2f over %d windows, jittered %.2f: %v %v", real, n, fake, top.Reasons, top.Metrics)
	if n < 8 || real > 0.1 || fake < 0.5 {
		t.Errorf("real %.2f (%d windows), jittered %.2f; want real ≤ 0.1, jittered ≥ 0.5", real, n, fake)
	}
}

func TestLightingScene(t *testing.T) {
	rs := window(talker(t), 0, 12*time.Second)
	// The room dims to 70% of its camera values over half a second at 5 s;
	// the face follows or not.
	gain := func(tm time.Duration) float64 {
		x := math.Max(0, math.Min(1, (tm-5*time.Second).Seconds()/0.5))
		return 1 - 0.3*x
	}
	dim := func(follow bool) []analysis.FrameResult {
		return edit(rs, func(i int, r *analysis.FrameResult) {
			g := gain(r.Time)
			scale := func(c *[3]float64) {
				for i := range c {
					c[i] *= g
				}
			}
			scale(&r.Measures.BGR)
			if f := r.Measures.Face; f != nil {
				scale(&f.Regions[analysis.RegionOuter].BGR)
				if follow {
					scale(&f.Regions[analysis.RegionInterior].BGR)
				}
			}
		})
	}
	real, n, _ := peak(signal.NewLighting(signal.LightingConfig{}), rs)
	fake, _, top := peak(signal.NewLighting(signal.LightingConfig{}), dim(false))
	follows, _, _ := peak(signal.NewLighting(signal.LightingConfig{}), dim(true))
	t.Logf("real %.2f, face ignores %.2f (%v), face follows %.2f", real, fake, top.Reasons, follows)
	if n < 8 || real > 0.1 || follows > 0.1 || fake < 0.8 {
		t.Errorf("real %.2f, face ignores %.2f, face follows %.2f; want ≤0.1, ≥0.8, ≤0.1", real, fake, follows)
	}
}

func TestOcclusionPastedFace(t *testing.T) {
	rs := window(talker(t), 0, 14*time.Second)
	// A skin-bright hand crosses the crop's ring from 8 to 9 s; a real face
	// is covered by it too, a pasted face is not.
	hand := func(covered bool) []analysis.FrameResult {
		return edit(rs, func(i int, r *analysis.FrameResult) {
			if r.Time < 8*time.Second || r.Time >= 9*time.Second || r.Measures.Face == nil {
				return
			}
			x := int(64 * (r.Time - 8*time.Second).Seconds()) // sweeps left to right
			for y := 0; y < analysis.CropSize; y++ {
				for dx := -10; dx <= 10; dx++ {
					if c := x + dx; c >= 0 && c < analysis.CropSize {
						cx, cy := float64(c)-32, float64(y)-36
						inside := cx*cx/144+cy*cy/169 <= 1
						if covered || !inside {
							// skin with a soft shading across the fingers
							r.Measures.Face.Crop[y*analysis.CropSize+c] = uint8(170 + 3*(dx%7) + y/4)
						}
					}
				}
			}
		})
	}
	real, n, _ := peak(signal.NewOcclusion(signal.OcclusionConfig{}), rs)
	pasted, _, top := peak(signal.NewOcclusion(signal.OcclusionConfig{}), hand(false))
	covered, _, _ := peak(signal.NewOcclusion(signal.OcclusionConfig{}), hand(true))
	t.Logf("real %.2f, pasted %.2f (%v %v), covered %.2f", real, pasted, top.Reasons, top.Metrics, covered)
	if n < 8 || real > 0.1 || covered > 0.2 || pasted < 0.6 {
		t.Errorf("real %.2f, pasted %.2f, covered %.2f; want ≤0.1, ≥0.6, ≤0.2", real, pasted, covered)
	}
}

func TestBoundarySoftFace(t *testing.T) {
	rs := window(talker(t), 0, 8*time.Second)
	soft := edit(rs, func(i int, r *analysis.FrameResult) {
		if f := r.Measures.Face; f != nil {
			f.Regions[analysis.RegionInterior].Sharp *= 0.08
			f.Regions[analysis.RegionInterior].Noise *= 0.3
		}
	})
	real, n, _ := peak(signal.NewBoundary(signal.BoundaryConfig{}), rs)
	fake, _, top := peak(signal.NewBoundary(signal.BoundaryConfig{}), soft)
	t.Logf("real %.2f, soft %.2f %v", real, fake, top.Reasons)
	if n < 5 || real > 0.1 || fake < 0.8 {
		t.Errorf("real %.2f, soft face %.2f; want ≤0.1, ≥0.8", real, fake)
	}
}

func TestVirtualCameraRepeats(t *testing.T) {
	rs := window(talker(t), 0, 8*time.Second)
	repeated := edit(rs, func(i int, r *analysis.FrameResult) {
		if i%2 == 1 { // a repeat: codec residue only, no pixel beyond it
			r.Measures.Diff, r.Measures.Changed = 0.1, 0
		}
		r.Measures.Noise = 0.08
	})
	real, n, _ := peak(signal.NewVirtualCamera(signal.VirtualCameraConfig{}), rs)
	fake, _, top := peak(signal.NewVirtualCamera(signal.VirtualCameraConfig{}), repeated)
	t.Logf("real %.2f, repeated %.2f %v %v", real, fake, top.Reasons, top.Metrics)
	if n < 5 || real > 0.1 || fake < 0.8 {
		t.Errorf("real %.2f, repeated and clean %.2f; want ≤0.1, ≥0.8", real, fake)
	}
	// A device name alone is weak evidence, and says so.
	v := signal.NewVirtualCamera(signal.VirtualCameraConfig{})
	v.Note("camera named \"OBS Virtual Camera\" (a name alone is weak evidence: names can be changed)", 0.4)
	got, _, top := peak(v, rs)
	if math.Abs(got-0.4) > 0.05 || len(top.Reasons) == 0 {
		t.Errorf("noted device: score %.2f reasons %v, want 0.4 with the note", got, top.Reasons)
	}
}

// TestNoFaceIsInvalid: without faces every pixel signal abstains rather
// than scoring.
func TestNoFaceIsInvalid(t *testing.T) {
	var rs []analysis.FrameResult
	for i := 0; i < 300; i++ {
		rs = append(rs, analysis.FrameResult{Index: i, Time: time.Duration(i) * 40 * time.Millisecond, State: analysis.StateNone, Width: 400, Height: 300})
	}
	for _, s := range []signal.Signal{signal.NewTemporal(signal.TemporalConfig{}), signal.NewOcclusion(signal.OcclusionConfig{}),
		signal.NewLighting(signal.LightingConfig{}), signal.NewBoundary(signal.BoundaryConfig{})} {
		if _, n, _ := peak(s, rs); n != 0 {
			t.Errorf("%s: %d valid windows without a face", s.Name(), n)
		}
	}
}
