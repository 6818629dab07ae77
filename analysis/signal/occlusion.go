package signal

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// Occlusion watches what the face does when something passes in front of
// it. A hand or object crossing a real face covers the face: its aligned
// crop changes inside as much as around it, and the landmarks usually
// break. A swapper keeps drawing the face over the occluder, so the hand
// or object changes the ring around the head (hair, ears, neck,
// background) while the face interior stays as it was, and it seems to
// pass behind the face. Interviewers are told to ask for exactly this
// ("pass a hand slowly in front of your face").
//
// Per frame the face-aligned crop is compared with a running reference
// (about 1 s) over the interior and over the ring: 100·(1 − normalised
// correlation), a change of structure that ignores brightness and
// contrast (light changes belong to the lighting signal). An event is a run
// of frames where the ring changes well beyond its recent level; during
// it, the interior's share of the change decides: near zero is a face
// drawn over the occluder.
type Occlusion struct {
	cfg OcclusionConfig
	s   series[occSample]
	ref []float32
	// The head's running pose and position, on the reference's time
	// scale: a turning or moving head changes the ring by itself.
	pose [3]float64
	cy   float64
	hasP bool
}

// OcclusionConfig tunes Occlusion; the zero value means the defaults.
type OcclusionConfig struct {
	Window     time.Duration // default 2 s
	Baseline   time.Duration // default 10 s: the ring's usual change
	MinQuality float64       // default 0.3
	EventLo    float64       // default 16 (structure change of the ring above its baseline) starts an event; real head turns reach 15.8
	EventHi    float64       // default 28: a clear event
	MinFrames  int           // default 3 event frames
	MaxMotion  float64       // default 12: head motion (degrees of yaw/pitch, or 1% of the eye distance per 0.3°) above which a ring change is explained by the head moving
	FollowLo   float64       // default 0.25: interior change over ring change below which the face ignored the occluder...
	FollowHi   float64       // default 0.6: ...and above which it followed it
}

func (c OcclusionConfig) withDefaults() OcclusionConfig {
	orDefault(&c.Window, 2*time.Second)
	orDefault(&c.Baseline, 10*time.Second)
	orDefault(&c.MinQuality, 0.3)
	orDefault(&c.EventLo, 16)
	orDefault(&c.EventHi, 28)
	if c.MinFrames <= 0 {
		c.MinFrames = 3
	}
	orDefault(&c.MaxMotion, 12)
	orDefault(&c.FollowLo, 0.25)
	orDefault(&c.FollowHi, 0.6)
	return c
}

type occSample struct {
	index      int
	ok         bool // a usable face
	face       bool // any face at all
	dInt, dRng float64
	motion     float64 // head motion against the reference, degrees-equivalent
	region     image.Rectangle
}

// NewOcclusion returns an occlusion signal.
func NewOcclusion(cfg OcclusionConfig) *Occlusion {
	c := cfg.withDefaults()
	return &Occlusion{cfg: c, s: series[occSample]{keep: c.Baseline + c.Window}}
}

// Name is "occlusion".
func (o *Occlusion) Name() string { return "occlusion" }

// Observe compares the aligned crop with the running reference.
func (o *Occlusion) Observe(r analysis.FrameResult) error {
	smp := occSample{index: r.Index, face: r.HasFace()}
	if usable(r, o.cfg.MinQuality) && len(r.Measures.Face.Crop) == analysis.CropSize*analysis.CropSize {
		crop := r.Measures.Face.Crop
		c := analysis.Centroid(r.Face.Landmarks)
		iod := math.Max(1, analysis.Interocular(r.Face.Landmarks))
		now := [3]float64{r.Face.Pose.Yaw, r.Face.Pose.Pitch, 0}
		if o.hasP {
			smp.motion = math.Abs(now[0]-o.pose[0]) + math.Abs(now[1]-o.pose[1]) +
				30*math.Hypot(c.X/iod-o.pose[2], c.Y/iod-o.cy)
		}
		if !o.hasP {
			o.pose, o.cy, o.hasP = [3]float64{now[0], now[1], c.X / iod}, c.Y/iod, true
		} else {
			const a = 0.08
			o.pose[0] += a * (now[0] - o.pose[0])
			o.pose[1] += a * (now[1] - o.pose[1])
			o.pose[2] += a * (c.X/iod - o.pose[2])
			o.cy += a * (c.Y/iod - o.cy)
		}
		if o.ref != nil {
			smp.ok = true
			smp.dInt = structureChange(crop, o.ref, cropInterior)
			smp.dRng = structureChange(crop, o.ref, cropRing)
			smp.region = faceRegion(r, 0.5)
		}
		o.ref = blend(o.ref, crop, 0.08)
	}
	o.s.add(r.Time, smp)
	return nil
}

// Score rates the Window ending at end.
func (o *Occlusion) Score(end time.Duration) Score {
	start := max(0, end-o.cfg.Window)
	s := Score{Signal: o.Name(), Start: start, End: end, Reasons: []string{}, Metrics: map[string]float64{}}
	_, all := o.s.span(max(0, end-o.cfg.Baseline), end)
	_, win := o.s.span(start, end)
	var ring, inner []float64
	for _, x := range all {
		if x.ok {
			ring = append(ring, x.dRng)
			inner = append(inner, x.dInt)
		}
	}
	if len(ring) < 10 || len(win) < 5 {
		s.Reasons = append(s.Reasons, "too little clear view of the face")
		return s
	}
	baseR, baseI := median(ring), median(inner)
	s.Valid = true
	var event []occSample
	lost := 0
	for _, x := range win {
		switch {
		case !x.face:
			lost++
		case x.ok && x.motion < o.cfg.MaxMotion && (x.dRng-baseR > o.cfg.EventLo || x.dInt-baseI > o.cfg.EventLo):
			event = append(event, x)
		}
	}
	s.Metrics["ring_baseline"] = baseR
	s.Metrics["event_frames"] = float64(len(event))
	s.Metrics["face_lost_frames"] = float64(lost)
	if len(event) < o.cfg.MinFrames {
		s.Reasons = append(s.Reasons, "nothing passed in front of the face; ask the candidate to pass a hand slowly in front of their face")
		return s
	}
	// Over the whole event: an occluder sweeping across a real face
	// touches the ring first and last but covers the interior in the
	// middle, so the sums compare, not frame by frame.
	var sumI, sumR float64
	peak := event[0]
	for _, x := range event {
		sumI += math.Max(0, x.dInt-baseI)
		sumR += math.Max(0, x.dRng-baseR)
		if x.dRng > peak.dRng {
			peak = x
		}
	}
	f := sumI / math.Max(sumR, 1e-6)
	str := sumR / float64(len(event))
	s.Metrics["follow"] = f
	s.Metrics["ring_change"] = str
	s.Frames = []int{peak.index}
	s.Regions = []image.Rectangle{peak.region}
	s.Value = ramp(str, o.cfg.EventLo, o.cfg.EventHi) * (1 - ramp(f, o.cfg.FollowLo, o.cfg.FollowHi))
	if s.Value > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("something passed around the face but the face stayed untouched (it changed %.0f%% as much as its surroundings): the face may be drawn over the occluder", 100*f))
	} else {
		s.Reasons = append(s.Reasons, "the face changed with whatever passed in front of it, as a real face does")
	}
	return s
}

// structureChange is 100·(1 − normalised correlation) of crop against
// ref over mask; a flat region (no structure to correlate) counts as a
// full change.
func structureChange(crop []uint8, ref []float32, mask []bool) float64 {
	r := maskedNCC(crop, ref, mask)
	if math.IsNaN(r) {
		return 100
	}
	return 100 * (1 - r)
}
