package signal

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// Temporal looks for a face that does not move like a head. Real-time
// swappers render every frame on its own, so the swapped face shivers
// against the head that carries it, wobbles non-rigidly, flickers in
// brightness, and on fast motion or a failed frame flicks back to the
// real face for a moment. Per window it measures:
//
//   - jitter: the median high-frequency motion of the face, the distance
//     of each frame's landmark centroid (and roll) from the midpoint of its
//     neighbours, over the interocular distance. A real head moves
//     smoothly at 25-30 fps; its second difference is small on most frames
//     even when it moves fast, so the median ignores the occasional jerk.
//   - nonrigid: the median landmark residual after a similarity fit to the
//     shape smoothed over ±2 frames (rigid head motion removed): how much
//     the face deforms frame to frame beyond the landmark detector's noise.
//   - flicker: high-frequency brightness change of the face interior in
//     excess of the scene around it.
//   - snap: the largest single-frame jump of the aligned face crop against
//     its neighbours, over the window's typical change: a flick to another
//     face.
//
// Thresholds (lo, where scoring starts, hi, full score) sit above the
// 99th percentile of the same metric over every window of the real clips
// (franck, cap12, cap13; docs/DETECTION.md lists the distributions).
type Temporal struct {
	cfg TemporalConfig
	s   series[tempSample]
}

// TemporalConfig tunes Temporal; the zero value means the defaults.
type TemporalConfig struct {
	Window      time.Duration // default 2 s
	MinQuality  float64       // default 0.3
	MinCoverage float64       // default 0.6 of the window's frames with a usable face
	JitterLo    float64       // default 0.025 IOD (real windows: p99 0.021, max 0.027)
	JitterHi    float64       // default 0.04 IOD
	NonrigidLo  float64       // default 0.022 IOD
	NonrigidHi  float64       // default 0.05 IOD
	FlickerLo   float64       // default 0.9 L units
	FlickerHi   float64       // default 2.5 L units
	SnapLo      float64       // default 10 (times the typical change)
	SnapHi      float64       // default 18
}

func (c TemporalConfig) withDefaults() TemporalConfig {
	orDefault(&c.Window, 2*time.Second)
	orDefault(&c.MinQuality, 0.3)
	orDefault(&c.MinCoverage, 0.6)
	orDefault(&c.JitterLo, 0.025)
	orDefault(&c.JitterHi, 0.04)
	orDefault(&c.NonrigidLo, 0.022)
	orDefault(&c.NonrigidHi, 0.05)
	orDefault(&c.FlickerLo, 0.9)
	orDefault(&c.FlickerHi, 2.5)
	orDefault(&c.SnapLo, 10)
	orDefault(&c.SnapHi, 18)
	return c
}

type tempSample struct {
	index      int
	ok         bool
	pts        [analysis.NumLandmarks]analysis.Point
	iod        float64
	inL, outL  float64
	crop       []uint8
	region     image.Rectangle
	frameDur   time.Duration
	frameStamp time.Duration
}

// NewTemporal returns a temporal-consistency signal.
func NewTemporal(cfg TemporalConfig) *Temporal {
	c := cfg.withDefaults()
	return &Temporal{cfg: c, s: series[tempSample]{keep: c.Window + time.Second}}
}

// Name is "temporal".
func (t *Temporal) Name() string { return "temporal" }

// Observe keeps the landmarks, region brightness and aligned crop.
func (t *Temporal) Observe(r analysis.FrameResult) error {
	smp := tempSample{index: r.Index}
	if usable(r, t.cfg.MinQuality) {
		f := r.Measures.Face
		smp.ok = true
		copy(smp.pts[:], r.Face.Landmarks)
		smp.iod = analysis.Interocular(r.Face.Landmarks)
		smp.inL = f.Regions[analysis.RegionInterior].Lab[0]
		smp.outL = f.Regions[analysis.RegionOuter].Lab[0]
		smp.crop = f.Crop
		smp.region = faceRegion(r, 0.1)
	}
	t.s.add(r.Time, smp)
	return nil
}

// Score rates the Window ending at end.
func (t *Temporal) Score(end time.Duration) Score {
	start := max(0, end-t.cfg.Window)
	s := Score{Signal: t.Name(), Start: start, End: end, Reasons: []string{}, Metrics: map[string]float64{}}
	_, v := t.s.span(start, end)
	okN := 0
	for _, x := range v {
		if x.ok {
			okN++
		}
	}
	if len(v) < 10 || float64(okN) < t.cfg.MinCoverage*float64(len(v)) {
		s.Reasons = append(s.Reasons, "too little clear view of the face to judge its motion")
		return s
	}
	var jit, nonrigid, flick, change []float64
	worst, worstAt := 0.0, -1
	for i := 1; i+1 < len(v); i++ {
		a, b, c := &v[i-1], &v[i], &v[i+1]
		if !a.ok || !b.ok || !c.ok || b.iod < 1 {
			continue
		}
		ca, cb, cc := analysis.Centroid(a.pts[:]), analysis.Centroid(b.pts[:]), analysis.Centroid(c.pts[:])
		hf := math.Hypot(cb.X-(ca.X+cc.X)/2, cb.Y-(ca.Y+cc.Y)/2) / b.iod
		ra, rb, rc := roll(a.pts[:]), roll(b.pts[:]), roll(c.pts[:])
		hf = math.Hypot(hf, (rb-(ra+rc)/2)*0.5) // half an IOD per radian of roll
		jit = append(jit, hf)
		flick = append(flick, math.Abs((b.inL-(a.inL+c.inL)/2)-(b.outL-(a.outL+c.outL)/2)))
		if d := cropJump(a.crop, b.crop, c.crop); !math.IsNaN(d) {
			change = append(change, d)
		}
		if i >= 2 && i+2 < len(v) && v[i-2].ok && v[i+2].ok {
			nonrigid = append(nonrigid, residual(v[i-2:i+3]))
		}
		if hf > worst {
			worst, worstAt = hf, i
		}
	}
	if len(jit) < 5 {
		s.Reasons = append(s.Reasons, "too few consecutive face frames to judge motion")
		return s
	}
	s.Valid = true
	mJit, mNon, mFlick := median(jit), median(nonrigid), median(flick)
	snap := 0.0
	if len(change) >= 5 {
		typical := math.Max(median(change), 0.5)
		snap = quantile(change, 1) / typical
	}
	s.Metrics["jitter"] = mJit
	s.Metrics["nonrigid"] = orZero(mNon)
	s.Metrics["flicker"] = mFlick
	s.Metrics["snap"] = snap
	s.addParts([]part{
		{ramp(mJit, t.cfg.JitterLo, t.cfg.JitterHi), fmt.Sprintf("the face shivers against the head from frame to frame (%.1f%% of the eye distance per frame, typical for a live face is under %.1f%%)", 100*mJit, 100*t.cfg.JitterLo)},
		{ramp(mNon, t.cfg.NonrigidLo, t.cfg.NonrigidHi), fmt.Sprintf("the face shape wobbles frame to frame beyond head motion (%.1f%% of the eye distance)", 100*mNon)},
		{ramp(mFlick, t.cfg.FlickerLo, t.cfg.FlickerHi), fmt.Sprintf("the face brightness flickers while the scene does not (%.1f L units per frame)", mFlick)},
		{ramp(snap, t.cfg.SnapLo, t.cfg.SnapHi), fmt.Sprintf("the face changes abruptly for a moment (%.0f times the usual frame-to-frame change): a swapper can flick back to the real face", snap)},
	})
	if s.Value > 0 {
		s.Reasons = append(s.Reasons, "ask the candidate to turn their head quickly from side to side")
	} else {
		s.Reasons = append(s.Reasons, "the face moves with the head")
	}
	if worstAt >= 0 {
		s.Frames = []int{v[worstAt].index}
		s.Regions = []image.Rectangle{v[worstAt].region}
	}
	return s
}

func orZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// roll is the angle of the line between the eye centres, in radians.
func roll(p []analysis.Point) float64 {
	l, r := analysis.EyeCentre(p, 36), analysis.EyeCentre(p, 42)
	return math.Atan2(r.Y-l.Y, r.X-l.X)
}

// residual is the RMS landmark distance of the middle of five frames from
// their mean shape after a similarity fit, over the interocular distance.
func residual(v []tempSample) float64 {
	var mean [analysis.NumLandmarks]analysis.Point
	for _, x := range v {
		for i, p := range x.pts {
			mean[i].X += p.X / float64(len(v))
			mean[i].Y += p.Y / float64(len(v))
		}
	}
	mid := v[len(v)/2]
	a, b, tx, ty, ok := analysis.FitSimilarity(mid.pts[:], mean[:])
	if !ok || mid.iod < 1 {
		return math.NaN()
	}
	var ss float64
	for i, p := range mid.pts {
		x, y := a*p.X-b*p.Y+tx, b*p.X+a*p.Y+ty
		ss += (x-mean[i].X)*(x-mean[i].X) + (y-mean[i].Y)*(y-mean[i].Y)
	}
	return math.Sqrt(ss/float64(len(mid.pts))) / mid.iod
}

// cropJump is how far the middle aligned crop is from the mean of its
// neighbours over the face interior (mean absolute difference): a single
// frame showing another face stands out against both.
func cropJump(a, b, c []uint8) float64 {
	if len(a) != len(b) || len(b) != len(c) || len(b) == 0 {
		return math.NaN()
	}
	var s, n float64
	for i, m := range cropInterior {
		if m {
			s += math.Abs(float64(b[i]) - (float64(a[i])+float64(c[i]))/2)
			n++
		}
	}
	return s / n
}
