package signal

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// Lighting checks that the face follows the scene's light. A face swapped
// or composited in keeps its own light: when a lamp is switched, a cloud
// passes or the candidate turns toward a window, the room changes and the
// face does not. Per window it compares the start and the end (the mean of
// a few frames each) of:
//
//   - brightness: the log change of the mean camera value of the face
//     interior against the scene (the outer ring around the head and the
//     whole frame, which must agree, so that a background shifting behind
//     a moving head is not taken for light); a change of light or
//     exposure multiplies every surface's values alike;
//   - colour: the change of log chromaticity (log R/G, log B/G) of the
//     face against the scene, which a tinted light shifts alike;
//   - direction: the horizontal light gradient fitted over the face
//     against the one over the scene.
//
// A real light change moves the face by 60-120% of the scene (skin
// reflects less than a white wall but follows it). Scoring starts when the
// scene changes clearly and the face follows by less than half.
type Lighting struct {
	cfg LightingConfig
	s   series[lightSample]
}

// LightingConfig tunes Lighting; the zero value means the defaults.
type LightingConfig struct {
	Window     time.Duration // default 2 s
	MinQuality float64       // default 0.3
	Ends       int           // default 4 frames averaged at each end
	SceneLo    float64       // default 0.08: log brightness change of the scene that starts scoring
	SceneHi    float64       // default 0.16
	ColourLo   float64       // default 0.15: change of the scene's log chromaticity that starts scoring (real white-balance drift reaches 0.13)
	ColourHi   float64       // default 0.25
	ShadeLo    float64       // default 0.2 change of the scene's gradient per face width
	ShadeHi    float64       // default 0.35
	FollowLo   float64       // default 0.45: the face followed less than this share...
	FollowHi   float64       // default 0.15: ...scores fully below this
}

func (c LightingConfig) withDefaults() LightingConfig {
	orDefault(&c.Window, 2*time.Second)
	orDefault(&c.MinQuality, 0.3)
	if c.Ends <= 0 {
		c.Ends = 4
	}
	orDefault(&c.SceneLo, 0.08)
	orDefault(&c.SceneHi, 0.16)
	orDefault(&c.ColourLo, 0.15)
	orDefault(&c.ColourHi, 0.25)
	orDefault(&c.ShadeLo, 0.2)
	orDefault(&c.ShadeHi, 0.35)
	orDefault(&c.FollowLo, 0.45)
	orDefault(&c.FollowHi, 0.15)
	return c
}

type lightSample struct {
	index          int
	face, outer    [3]float64 // mean B, G, R
	frame          [3]float64
	shade, scShade float64
	region         image.Rectangle
}

// NewLighting returns a lighting-consistency signal.
func NewLighting(cfg LightingConfig) *Lighting {
	c := cfg.withDefaults()
	return &Lighting{cfg: c, s: series[lightSample]{keep: c.Window + time.Second}}
}

// Name is "lighting".
func (l *Lighting) Name() string { return "lighting" }

// Observe keeps the colour of the face, the scene and the whole frame.
func (l *Lighting) Observe(r analysis.FrameResult) error {
	if !usable(r, l.cfg.MinQuality) {
		return nil
	}
	f := r.Measures.Face
	l.s.add(r.Time, lightSample{
		index:   r.Index,
		face:    f.Regions[analysis.RegionInterior].BGR,
		outer:   f.Regions[analysis.RegionOuter].BGR,
		frame:   r.Measures.BGR,
		shade:   f.Shade[0],
		scShade: f.SceneShade[0],
		region:  faceRegion(r, 0.6),
	})
	return nil
}

// Score rates the Window ending at end.
func (l *Lighting) Score(end time.Duration) Score {
	start := max(0, end-l.cfg.Window)
	s := Score{Signal: l.Name(), Start: start, End: end, Reasons: []string{}, Metrics: map[string]float64{}}
	_, v := l.s.span(start, end)
	k := l.cfg.Ends
	if len(v) < 3*k {
		s.Reasons = append(s.Reasons, "too little clear view of the face to compare its light with the scene")
		return s
	}
	s.Valid = true
	a, b := meanLight(v[:k]), meanLight(v[len(v)-k:])
	lum := func(c [3]float64) float64 { return math.Max(1, (c[0]+c[1]+c[2])/3) }
	logd := func(x, y [3]float64) float64 { return math.Log(lum(y) / lum(x)) }
	dFace := logd(a.face, b.face)
	dOuter, dFrame := logd(a.outer, b.outer), logd(a.frame, b.frame)
	// The scene changed only as much as the outer ring and the whole frame
	// agree: the smaller of the two, when they share a sign.
	dScene := 0.0
	if dOuter*dFrame > 0 {
		dScene = math.Copysign(math.Min(math.Abs(dOuter), math.Abs(dFrame)), dOuter)
	}
	followL := dFace / nonzero(dScene)
	brightness := ramp(math.Abs(dScene), l.cfg.SceneLo, l.cfg.SceneHi) * (1 - ramp(followL, l.cfg.FollowHi, l.cfg.FollowLo))

	// Colour as log chromaticity (log R/G, log B/G): a tinted light
	// multiplies the channels of every surface alike, so a real tint
	// shifts face and scene by the same vector (von Kries).
	chroma := func(c [3]float64) [2]float64 {
		g := math.Max(1, c[1])
		return [2]float64{math.Log(math.Max(1, c[2]) / g), math.Log(math.Max(1, c[0]) / g)}
	}
	sub := func(x, y [2]float64) [2]float64 { return [2]float64{y[0] - x[0], y[1] - x[1]} }
	fc := sub(chroma(a.face), chroma(b.face))
	so, sf := sub(chroma(a.outer), chroma(b.outer)), sub(chroma(a.frame), chroma(b.frame))
	sc := [2]float64{(so[0] + sf[0]) / 2, (so[1] + sf[1]) / 2}
	scN := math.Hypot(sc[0], sc[1])
	if so[0]*sf[0]+so[1]*sf[1] <= 0 { // ring and frame disagree: not a change of light
		scN = 0
	}
	followC := (fc[0]*sc[0] + fc[1]*sc[1]) / nonzero(scN*scN)
	colour := ramp(scN, l.cfg.ColourLo, l.cfg.ColourHi) * (1 - ramp(followC, l.cfg.FollowHi, l.cfg.FollowLo))

	dSc, dSh := b.scShade-a.scShade, b.shade-a.shade
	followS := dSh / nonzero(dSc)
	direction := ramp(math.Abs(dSc), l.cfg.ShadeLo, l.cfg.ShadeHi) * (1 - ramp(followS, l.cfg.FollowHi, l.cfg.FollowLo))

	s.Metrics["scene_change"] = dScene
	s.Metrics["face_change"] = dFace
	s.Metrics["follow"] = followL
	s.Metrics["scene_colour_change"] = scN
	s.Metrics["colour_follow"] = followC
	s.Metrics["scene_gradient_change"] = dSc
	s.Metrics["gradient_follow"] = followS
	s.Value = math.Max(brightness, math.Max(colour, direction))
	s.Frames = []int{v[len(v)-1].index}
	s.Regions = []image.Rectangle{v[len(v)-1].region}
	if brightness > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("the scene got %s by %.0f%% but the face followed only %.0f%% of it", dir(dScene), 100*math.Abs(math.Expm1(dScene)), 100*math.Max(0, followL)))
	}
	if colour > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("the scene's colour shifted (by %.0f%% between channels) and the face's did not follow (%.0f%%)", 100*scN, 100*math.Max(0, followC)))
	}
	if direction > 0 {
		s.Reasons = append(s.Reasons, "the light moved across the scene but not across the face")
	}
	if s.Value > 0 {
		s.Reasons = append(s.Reasons, "ask the candidate to turn toward or away from their light, or switch a lamp")
	} else {
		s.Reasons = append(s.Reasons, "the face follows the scene's light")
	}
	return s
}

func dir(x float64) string {
	if x < 0 {
		return "darker"
	}
	return "brighter"
}

// nonzero keeps a ratio's denominator away from zero, keeping its sign.
func nonzero(x float64) float64 {
	if math.Abs(x) < 1e-9 {
		return math.Copysign(1e-9, x)
	}
	return x
}

func meanLight(v []lightSample) lightSample {
	var m lightSample
	n := float64(len(v))
	for _, x := range v {
		for c := 0; c < 3; c++ {
			m.face[c] += x.face[c] / n
			m.outer[c] += x.outer[c] / n
			m.frame[c] += x.frame[c] / n
		}
		m.shade += x.shade / n
		m.scShade += x.scShade / n
	}
	return m
}
