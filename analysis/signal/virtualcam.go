package signal

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// VirtualCamera reads the stream itself. A swapper publishes through a
// virtual camera (OBS Virtual Camera, ManyCam, ...) that re-sends its last
// rendered image whenever the renderer is slower than the declared frame
// rate, and the rendered image has been through a denoising network and
// often carries a static overlay. Per window it measures:
//
//   - duplicates: the share of frames where no pixel moved by more than
//     codec residue (analysis.ChangeLevel), giving the effective frame
//     rate, and whether those repeats fall on a beat (every second or
//     third frame). Webcams that deliver fewer frames than their
//     container's rate repeat a third of them irregularly (cap12, cap13:
//     up to 36%, beat contrast up to 0.81); a renderer at half or a third
//     of the rate repeats half or two thirds on an exact beat;
//   - clean: a sensor noise floor (Immerkær's estimate) below what webcam
//     sensors and their codecs leave;
//   - static: thumbnail pixels that stay exactly constant while the rest
//     of the frame changes (an overlay or watermark).
//
// Device names reported by the browser or the local camera driver feed
// this signal too (Note); a name alone is weak evidence, since names can
// be changed.
type VirtualCamera struct {
	cfg   VirtualCameraConfig
	s     series[vcSample]
	notes []string
	noteV float64
}

// VirtualCameraConfig tunes VirtualCamera; the zero value means the defaults.
type VirtualCameraConfig struct {
	Window   time.Duration // default 3 s
	DupLo    float64       // default 0.42 of frames repeated
	DupHi    float64       // default 0.6
	BeatLo   float64       // default 0.85: the quietest phase at 15% of the mean change (webcams delivering a fractional rate reach 0.81)
	BeatHi   float64       // default 0.97
	NoiseLo  float64       // default 0.2: noise sigma (gray levels) below which scoring starts
	NoiseHi  float64       // default 0.1: full score
	CleanMax float64       // default 0.35: the most a clean image scores alone
}

func (c VirtualCameraConfig) withDefaults() VirtualCameraConfig {
	orDefault(&c.Window, 3*time.Second)
	orDefault(&c.DupLo, 0.42)
	orDefault(&c.DupHi, 0.6)
	orDefault(&c.BeatLo, 0.85)
	orDefault(&c.BeatHi, 0.97)
	orDefault(&c.NoiseLo, 0.2)
	orDefault(&c.NoiseHi, 0.1)
	orDefault(&c.CleanMax, 0.35)
	return c
}

type vcSample struct {
	index   int
	diff    float64
	move    float64 // mean landmark displacement from the previous frame, over the eye distance; -1 unknown
	changed float64 // fraction of pixels changed beyond codec residue; -1 unknown
	noise   float64
	region  image.Rectangle
}

// NewVirtualCamera returns a stream-forensics signal.
func NewVirtualCamera(cfg VirtualCameraConfig) *VirtualCamera {
	c := cfg.withDefaults()
	return &VirtualCamera{cfg: c, s: series[vcSample]{keep: c.Window + time.Second}}
}

// Name is "virtual_camera".
func (v *VirtualCamera) Name() string { return "virtual_camera" }

// Note adds a finding from outside the pixels (a device label that names
// a virtual camera, settings that disagree with the frames) with the
// score it is worth; it counts in every later window.
func (v *VirtualCamera) Note(reason string, value float64) {
	v.notes = append(v.notes, reason)
	v.noteV = math.Max(v.noteV, math.Max(0, math.Min(1, value)))
}

// Observe keeps the frame's change and noise floor. Only frames with a
// face count: a person in view moves, so a repeated frame means a
// repeating source; a covered or black camera repeats without one.
func (v *VirtualCamera) Observe(r analysis.FrameResult) error {
	if r.Measures == nil || !r.HasFace() {
		return nil
	}
	smp := vcSample{index: r.Index, diff: r.Measures.Diff, changed: r.Measures.Changed, noise: r.Measures.Noise,
		region: image.Rect(0, 0, r.Width, r.Height)}
	v.s.add(r.Time, smp)
	return nil
}

// Score rates the Window ending at end.
func (v *VirtualCamera) Score(end time.Duration) Score {
	start := max(0, end-v.cfg.Window)
	s := Score{Signal: v.Name(), Start: start, End: end, Reasons: []string{}, Metrics: map[string]float64{}}
	t, w := v.s.span(start, end)
	var diffs, noise []float64
	for _, x := range w {
		if x.diff >= 0 {
			diffs = append(diffs, x.diff)
		}
		noise = append(noise, x.noise)
	}
	if len(diffs) < 10 {
		s.Reasons = append(s.Reasons, "too few frames to judge the stream")
		if v.noteV > 0 {
			s.Valid, s.Value = true, v.noteV
			s.Reasons = append(s.Reasons, v.notes...)
		}
		return s
	}
	s.Valid = true
	// The typical change between distinct frames: the median of the upper
	// half, so that half the frames being repeats does not drag it down.
	typical := quantile(diffs, 0.75)
	if typical < 0.05 {
		s.Valid = false
		s.Reasons = append(s.Reasons, "the picture is almost still; repeated frames cannot be told apart")
		return s
	}
	dups, first := 0, -1
	for i, x := range w {
		if x.changed >= 0 && x.changed < 1e-4 {
			dups++
			if first < 0 {
				first = i
			}
		}
	}
	ratio := float64(dups) / float64(len(diffs))
	// A renderer slower than the declared rate repeats frames on a beat:
	// fold the changes by frame index over periods 2-4 and compare the
	// quietest phase with the mean. Re-encoding leaves a repeat a small
	// residual change, so a beat shows even where the plain count misses.
	beat, period := 0.0, 0
	for k := 2; k <= 4; k++ {
		if c := foldContrast(w, k); c > beat {
			beat, period = c, k
		}
	}
	s.Metrics["beat"] = beat
	s.Metrics["beat_period"] = float64(period)
	fps := 0.0
	if span := t[len(t)-1] - t[0]; span > 0 {
		fps = float64(len(w)-1) / span.Seconds()
	}
	floor := median(noise)
	s.Metrics["duplicate_ratio"] = ratio
	s.Metrics["declared_fps"] = fps
	s.Metrics["effective_fps"] = fps * (1 - ratio)
	s.Metrics["noise_sigma"] = floor
	dup := math.Max(ramp(ratio, v.cfg.DupLo, v.cfg.DupHi), ramp(beat, v.cfg.BeatLo, v.cfg.BeatHi))
	clean := ramp(-floor, -v.cfg.NoiseLo, -v.cfg.NoiseHi)
	if dup > 0 && ratio < v.cfg.DupLo {
		s.Reasons = append(s.Reasons, fmt.Sprintf("every %s frame barely changes: the stream repeats frames on a beat, as a virtual camera re-sending a slower renderer does", ordinal(period)))
	} else if dup > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("%.0f%% of frames repeat the one before: the stream runs at %.0f of its %.0f frames per second, as a virtual camera re-sending a slow renderer does", 100*ratio, fps*(1-ratio), fps))
	}
	if clean > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("the image is cleaner than a webcam sensor gives (noise %.2f gray levels)", floor))
	}
	// A clean image alone is also what a heavily compressed link gives
	// (benign recompression scores it fully), so it counts for at most
	// CleanMax on its own; repeats on a beat do not have that excuse.
	s.Value = 1 - (1-dup)*(1-v.cfg.CleanMax*clean)
	if v.noteV > 0 {
		s.Value = 1 - (1-s.Value)*(1-v.noteV)
		s.Reasons = append(s.Reasons, v.notes...)
	}
	if s.Value == 0 {
		s.Reasons = append(s.Reasons, "the stream looks like a camera")
	}
	if first >= 0 {
		s.Frames = []int{w[first].index}
		s.Regions = []image.Rectangle{w[first].region}
	}
	return s
}

// foldContrast is 1 − (mean change of the quietest phase) / (mean change)
// when the changes are folded by frame index modulo k; 0 when a phase has
// too few samples.
func foldContrast(w []vcSample, k int) float64 {
	sum := make([]float64, k)
	n := make([]int, k)
	total, count := 0.0, 0
	for _, x := range w {
		if x.changed < 0 {
			continue
		}
		p := x.index % k
		sum[p] += x.changed
		n[p]++
		total += x.changed
		count++
	}
	if count == 0 || total <= 0 {
		return 0
	}
	quiet := math.Inf(1)
	for p := range sum {
		if n[p] < 5 {
			return 0
		}
		quiet = math.Min(quiet, sum[p]/float64(n[p]))
	}
	return 1 - quiet/(total/float64(count))
}

func ordinal(k int) string {
	switch k {
	case 2:
		return "second"
	case 3:
		return "third"
	case 4:
		return "fourth"
	}
	return fmt.Sprintf("%dth", k)
}
