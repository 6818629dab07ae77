package signal

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// Boundary looks for the blend of a pasted face at its edge. Face swappers
// render the face at a fixed low resolution (often 128-256 px), then
// scale, colour-match and feather it into the frame along the face
// outline, so against the surroundings the face interior is softer and
// cleaner (less sensor noise and fine texture), the band along the
// outline mixes two images, and codec blocks of the original frame are
// missing inside. Per frame it compares the interior, the inner band
// along the outline and the ring outside it (analysis/measure):
//
//   - softness: log of the ring's Laplacian variance over the interior's;
//   - clean: log of the scene's noise residual over the interior's;
//   - seam: the colour step across the outline against the step from
//     the interior to the inner band;
//   - blocks: codec blockiness of the ring over the interior's;
//   - eyes: log of the eye region's Laplacian variance over the whole
//     interior's. Lids, lashes, iris edges and glasses rims are the
//     sharpest part of a real face (real windows: 0.31 and up); a face
//     rendered at low resolution and warped loses them first, and this
//     ratio, unlike the others, does not depend on the scene behind.
//
// A face in front of a plain wall is softer than its edge too, so each
// metric is scored against the range seen on real webcam and camera
// footage (docs/DETECTION.md); the window's median per metric is used.
type Boundary struct {
	cfg BoundaryConfig
	s   series[boundSample]
}

// BoundaryConfig tunes Boundary; the zero value means the defaults.
type BoundaryConfig struct {
	Window     time.Duration // default 2 s
	MinQuality float64       // default 0.3
	SoftLo     float64       // default 1.45 (ring 4.3x sharper than the face; real windows reach 1.36)
	SoftHi     float64       // default 2.2
	CleanLo    float64       // default 0.25 (real windows reach 0.15)
	CleanHi    float64       // default 0.6
	SeamLo     float64       // default 4.5
	SeamHi     float64       // default 7
	BlockLo    float64       // default 0.5
	BlockHi    float64       // default 0.9
	EyesLo     float64       // default 0.25: eyes only 1.3x sharper than the rest of the face (real windows: 0.31 and up)
	EyesHi     float64       // default -0.2: eyes softer than the cheeks
}

func (c BoundaryConfig) withDefaults() BoundaryConfig {
	orDefault(&c.Window, 2*time.Second)
	orDefault(&c.MinQuality, 0.3)
	orDefault(&c.SoftLo, 1.45)
	orDefault(&c.SoftHi, 2.2)
	orDefault(&c.CleanLo, 0.25)
	orDefault(&c.CleanHi, 0.6)
	orDefault(&c.SeamLo, 4.5)
	orDefault(&c.SeamHi, 7)
	orDefault(&c.BlockLo, 0.5)
	orDefault(&c.BlockHi, 0.9)
	if c.EyesLo == 0 {
		c.EyesLo = 0.25
	}
	if c.EyesHi == 0 {
		c.EyesHi = -0.2
	}
	return c
}

type boundSample struct {
	index                    int
	soft, clean, seam, block float64
	eyes                     float64
	region                   image.Rectangle
}

// NewBoundary returns a blending-boundary signal.
func NewBoundary(cfg BoundaryConfig) *Boundary {
	c := cfg.withDefaults()
	return &Boundary{cfg: c, s: series[boundSample]{keep: c.Window + time.Second}}
}

// Name is "boundary".
func (b *Boundary) Name() string { return "boundary" }

// Observe derives the per-frame edge metrics from the region statistics.
func (b *Boundary) Observe(r analysis.FrameResult) error {
	if !usable(r, b.cfg.MinQuality) {
		return nil
	}
	g := r.Measures.Face.Regions
	in, band, ring, outer := g[analysis.RegionInterior], g[analysis.RegionInnerBand], g[analysis.RegionRing], g[analysis.RegionOuter]
	if in.Pixels < 50 || band.Pixels < 20 || ring.Pixels < 20 {
		return nil
	}
	lg := func(a, b float64) float64 { return math.Log(math.Max(a, 1e-3) / math.Max(b, 1e-3)) }
	across := labDist(band.Lab, ring.Lab)
	inside := labDist(in.Lab, band.Lab)
	b.s.add(r.Time, boundSample{
		index:  r.Index,
		soft:   lg(ring.Sharp, in.Sharp),
		clean:  lg((ring.Noise+outer.Noise)/2, in.Noise),
		seam:   across / math.Max(inside, 1),
		block:  lg(ring.Block, in.Block),
		eyes:   lg(g[analysis.RegionEyes].Sharp, in.Sharp),
		region: image.Rectangle{}.Union(faceRegion(r, 0.15)),
	})
	return nil
}

// Score rates the Window ending at end.
func (b *Boundary) Score(end time.Duration) Score {
	start := max(0, end-b.cfg.Window)
	s := Score{Signal: b.Name(), Start: start, End: end, Reasons: []string{}, Metrics: map[string]float64{}}
	_, v := b.s.span(start, end)
	if len(v) < 5 {
		s.Reasons = append(s.Reasons, "too little clear view of the face edge")
		return s
	}
	s.Valid = true
	col := func(f func(boundSample) float64) float64 {
		x := make([]float64, len(v))
		for i := range v {
			x[i] = f(v[i])
		}
		return median(x)
	}
	soft := col(func(x boundSample) float64 { return x.soft })
	clean := col(func(x boundSample) float64 { return x.clean })
	seam := col(func(x boundSample) float64 { return x.seam })
	block := col(func(x boundSample) float64 { return x.block })
	s.Metrics["softness"] = soft
	s.Metrics["clean"] = clean
	s.Metrics["seam"] = seam
	s.Metrics["blocks"] = block
	eyes := col(func(x boundSample) float64 { return x.eyes })
	s.Metrics["eye_sharpness"] = eyes
	s.addParts([]part{
		{ramp(soft, b.cfg.SoftLo, b.cfg.SoftHi), fmt.Sprintf("the face is much softer than its edge and surroundings (%.1fx less detail)", math.Exp(soft))},
		{ramp(clean, b.cfg.CleanLo, b.cfg.CleanHi), fmt.Sprintf("the face has less noise and grain than the scene around it (%.1fx cleaner)", math.Exp(clean))},
		{ramp(seam, b.cfg.SeamLo, b.cfg.SeamHi), "a colour step runs along the face outline"},
		{ramp(block, b.cfg.BlockLo, b.cfg.BlockHi), "compression blocks stop at the face outline"},
		{ramp(-eyes, -b.cfg.EyesLo, -b.cfg.EyesHi), fmt.Sprintf("the eyes have lost their fine detail (only %.1fx the detail of the cheeks; real eyes, lashes and glasses rims are the sharpest part of a face)", math.Exp(eyes))},
	})
	if s.Value > 0 {
		s.Reasons = append(s.Reasons, "look closely at the jaw line and hairline; ask the candidate to move closer to the camera")
	} else {
		s.Reasons = append(s.Reasons, "no blending seam at the face edge")
	}
	last := v[len(v)-1]
	s.Frames, s.Regions = []int{last.index}, []image.Rectangle{last.region}
	return s
}

func labDist(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}
