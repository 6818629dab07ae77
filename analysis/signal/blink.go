package signal

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// Blink counts blinks from the eye aspect ratio (EAR; Soukupová & Čech,
// "Real-Time Eye Blink Detection using Facial Landmarks", CVWW 2016):
//
//	EAR = (|p2−p6| + |p3−p5|) / (2 |p1−p4|)
//
// over dlib's six points per eye, averaged over both eyes. An open eye
// sits near a person-specific level (0.25-0.35); a blink drops it by
// half for 100-400 ms. The thresholds adapt to the person, as ratios of
// the running open-eye level (the 80th percentile of recent EAR): a
// candidate starts below ClosedRatio (0.75), counts as a blink only if it
// reaches DepthRatio (0.70) and reopens above ReopenRatio (0.85) within
// MinClosed..MaxClosed. Checked frame by frame on cap12 and cap13 (84 s,
// three blinks seen by eye): real blinks dip to 0.57 and 0.66 and reopen
// to 0.85 within 200-240 ms; looking down at a keyboard holds the lids at
// 0.77-0.85 and landmark wobble touches 0.75 for a frame (a start
// threshold alone counted both). The third blink flows straight into a
// downward gaze and never reopens: at the EAR level it cannot be told
// from lids lowered to read, and it is missed.
//
// Bentivoglio et al. (Movement Disorders, 1997) measured blink rates of
// 17/min at rest, 26/min in conversation and 4.5/min while reading. Early
// face swaps blinked far less (Li et al., "In Ictu Oculi", WIFS 2018), but
// interview candidates read their screens, and the man in cap12 blinks
// about twice a minute while doing so (checked frame by frame). So a low
// rate is a very weak cue: only below LowRate (4/min, the reading rate)
// and at most LowMax (0.3). Eye flicker above HighRate (32/min) scores up
// to Max (0.5). Modern swappers reproduce blinks; this signal supports
// others, it does not decide.
type Blink struct {
	cfg BlinkConfig

	ears   []earSample // recent EAR, oldest first, bounded by cfg.History
	closed bool
	runAt  time.Duration // start of the current closed run
	runIdx int
	runMin float64      // deepest EAR ratio of the current run
	blinks []blinkEvent // detected blinks, bounded by cfg.History
	seen   []time.Duration

	open    float64   // cached open-eye level
	since   int       // samples since open was computed
	scratch []float64 // reused by openLevel: no allocation per frame
}

// BlinkConfig tunes Blink; the zero value means the documented defaults.
type BlinkConfig struct {
	ClosedRatio       float64       // default 0.75 of the open level
	DepthRatio        float64       // default 0.70 of the open level
	ReopenRatio       float64       // default 0.85 of the open level
	MinClosed         time.Duration // default 60 ms (a blink spans at least 2 frames at 30 fps)
	MaxClosed         time.Duration // default 500 ms; longer is an eye closure, not a blink
	RateWindow        time.Duration // default 60 s: blink rate needs a long window
	MinFaceTime       time.Duration // default 20 s of tracked face before scoring
	LowRate, HighRate float64       // default 4 and 32 per minute
	LowMax, Max       float64       // default 0.3 (too few) and 0.5 (too many)
	MinQuality        float64       // default 0.3: ignore untrustworthy frames
	History           time.Duration // default 2 minutes of samples kept
}

func (c BlinkConfig) withDefaults() BlinkConfig {
	orDefault(&c.ClosedRatio, 0.75)
	orDefault(&c.DepthRatio, 0.70)
	orDefault(&c.ReopenRatio, 0.85)
	orDefault(&c.MinClosed, 60*time.Millisecond)
	orDefault(&c.MaxClosed, 500*time.Millisecond)
	orDefault(&c.RateWindow, time.Minute)
	orDefault(&c.MinFaceTime, 20*time.Second)
	orDefault(&c.LowRate, 4)
	orDefault(&c.LowMax, 0.3)
	orDefault(&c.HighRate, 32)
	orDefault(&c.Max, 0.5)
	orDefault(&c.MinQuality, 0.3)
	orDefault(&c.History, 2*time.Minute)
	return c
}

type earSample struct {
	t   time.Duration
	ear float64
}

type blinkEvent struct {
	t     time.Duration
	index int
}

// NewBlink returns a blink signal.
func NewBlink(cfg BlinkConfig) *Blink { return &Blink{cfg: cfg.withDefaults()} }

// Name is "blink".
func (b *Blink) Name() string { return "blink" }

// EAR returns the eye aspect ratio of 68 landmarks, averaged over both
// eyes, or NaN when the points are degenerate.
func EAR(p []analysis.Point) float64 {
	if len(p) != analysis.NumLandmarks {
		return math.NaN()
	}
	eye := func(i int) float64 { // points i..i+5: p1..p6
		w := dist(p[i], p[i+3])
		if w < 1e-6 {
			return math.NaN()
		}
		return (dist(p[i+1], p[i+5]) + dist(p[i+2], p[i+4])) / (2 * w)
	}
	return (eye(36) + eye(42)) / 2
}

func dist(a, b analysis.Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// Observe records the frame's EAR and detects blink ends. It reads only
// the landmarks.
func (b *Blink) Observe(r analysis.FrameResult) error {
	if !r.HasFace() || r.Face.Quality < b.cfg.MinQuality {
		b.closed = false // a gap breaks any run: it cannot be timed
		return nil
	}
	ear := EAR(r.Face.Landmarks)
	if math.IsNaN(ear) {
		return nil
	}
	b.seen = append(b.seen, r.Time)
	b.ears = append(b.ears, earSample{r.Time, ear})
	b.trim(r.Time)
	// The open level drifts over seconds, not frames: refresh it every 5th
	// sample rather than sorting 300 values per frame.
	if b.since++; b.open <= 0 || b.since >= 5 {
		b.open, b.since = b.openLevel(), 0
	}
	open := b.open
	if open <= 0 {
		return nil
	}
	ratio := ear / open
	switch {
	case !b.closed && ratio < b.cfg.ClosedRatio:
		b.closed, b.runAt, b.runIdx, b.runMin = true, r.Time, r.Index, ratio
	case b.closed && ratio >= b.cfg.ReopenRatio:
		b.closed = false
		d := r.Time - b.runAt
		if b.runMin <= b.cfg.DepthRatio && d >= b.cfg.MinClosed && d <= b.cfg.MaxClosed {
			b.blinks = append(b.blinks, blinkEvent{b.runAt, b.runIdx})
		}
	case b.closed:
		b.runMin = math.Min(b.runMin, ratio)
	}
	return nil
}

// openLevel is the 80th percentile of recent EAR: the eye is open most of
// the time, so a high percentile tracks the open level while ignoring the
// blinks themselves. It needs a second of samples.
func (b *Blink) openLevel() float64 {
	if len(b.ears) < 2 || b.ears[len(b.ears)-1].t-b.ears[0].t < time.Second {
		return 0
	}
	const recent = 300 // about 10 s at 30 fps is plenty for a percentile
	from := max(0, len(b.ears)-recent)
	v := b.scratch[:0]
	for _, s := range b.ears[from:] {
		v = append(v, s.ear)
	}
	sort.Float64s(v)
	b.scratch = v
	return v[len(v)*8/10]
}

func (b *Blink) trim(now time.Duration) {
	cut := now - b.cfg.History
	i := sort.Search(len(b.ears), func(i int) bool { return b.ears[i].t >= cut })
	b.ears = b.ears[i:]
	j := sort.Search(len(b.blinks), func(i int) bool { return b.blinks[i].t >= cut })
	b.blinks = b.blinks[j:]
	k := sort.Search(len(b.seen), func(i int) bool { return b.seen[i] >= cut })
	b.seen = b.seen[k:]
}

// Score rates the blink rate over the RateWindow ending at end (longer
// than the few seconds other signals score: a rate needs a minute).
func (b *Blink) Score(end time.Duration) Score {
	start := max(0, end-b.cfg.RateWindow)
	s := Score{Signal: b.Name(), Start: start, End: end, Reasons: []string{}}
	faceTime := b.faceTime(start, end)
	var n int
	for _, e := range b.blinks {
		if e.t >= start && e.t <= end {
			n++
			s.Frames = append(s.Frames, e.index)
		}
	}
	s.Metrics = map[string]float64{"blinks": float64(n), "face_seconds": faceTime.Seconds()}
	if faceTime < b.cfg.MinFaceTime {
		s.Reasons = append(s.Reasons, fmt.Sprintf("blink rate needs %.0f s of clear face; have %.0f s", b.cfg.MinFaceTime.Seconds(), faceTime.Seconds()))
		return s
	}
	rate := float64(n) / faceTime.Minutes()
	s.Valid = true
	s.Metrics["per_minute"] = rate
	switch {
	case rate < b.cfg.LowRate:
		s.Value = b.cfg.LowMax * (b.cfg.LowRate - rate) / b.cfg.LowRate
		s.Reasons = append(s.Reasons, fmt.Sprintf("%.1f blinks per minute, below even the reading rate (about 4.5); weak on its own: some swaps blink too little, and so do people reading", rate))
	case rate > b.cfg.HighRate:
		s.Value = b.cfg.Max * math.Min(1, (rate-b.cfg.HighRate)/b.cfg.HighRate)
		s.Reasons = append(s.Reasons, fmt.Sprintf("%.0f blinks per minute, above the 17-26 usual at rest and in conversation (eye flicker can be a swap artifact)", rate))
	default:
		s.Reasons = append(s.Reasons, fmt.Sprintf("%.1f blinks per minute, a normal rate", rate))
	}
	return s
}

// faceTime sums the time covered by observed face frames in [start, end],
// counting gaps up to 200 ms as continuous.
func (b *Blink) faceTime(start, end time.Duration) time.Duration {
	var total time.Duration
	for i := 1; i < len(b.seen); i++ {
		t0, t1 := b.seen[i-1], b.seen[i]
		if t0 < start || t1 > end {
			continue
		}
		if d := t1 - t0; d <= 200*time.Millisecond {
			total += d
		}
	}
	return total
}
