package face

import (
	"context"
	"fmt"
	"image"
	"math"
	"sync/atomic"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// Config tunes an Analyzer. The zero value means the defaults below, which
// were set on the real clips (see docs/PERFORMANCE.md).
type Config struct {
	// RedetectEvery runs the full detector on this schedule even while the
	// tracker is confident, to correct drift and catch a second face.
	// Default 500 ms of media time.
	RedetectEvery time.Duration
	// RetryEvery spaces detection attempts while no face is tracked
	// (default 200 ms of media time): a frame without a face costs a full
	// detector pass, and a live stream must not fall behind while the
	// candidate is out of view.
	RetryEvery time.Duration
	// FallbackMaxSide downscales frames for the Haar cascade (default 320,
	// whether it is the fallback or chosen as primary): its cost grows with
	// area, 126 ms at 640x480 against 36 ms at 320x240 on one core.
	FallbackMaxSide int
	// MinPSR below which the tracker is considered lost (default 7, the
	// failure level reported by Bolme et al. for correlation filters).
	MinPSR float64
	// DetectMaxSide downscales frames for detection so the longer side is
	// at most this many pixels (default 640): detection cost grows with
	// area while interview faces stay large.
	DetectMaxSide int
	// MinFaceSide is the smallest face box side, in frame pixels, that the
	// pipeline accepts (default 40; dlib's 68-point model degrades below).
	MinFaceSide int
	// ScaleEvery searches the tracker's scale on every n-th tracked frame
	// (default 5) and position only in between; detection resets scale too.
	ScaleEvery int
	// Detector chooses the full-frame detector: "hog" (dlib, default) or
	// "haar" (OpenCV frontal alt2). The other detectors are fallbacks.
	Detector string
}

func (c Config) withDefaults() Config {
	if c.RedetectEvery <= 0 {
		c.RedetectEvery = 500 * time.Millisecond
	}
	if c.RetryEvery <= 0 {
		c.RetryEvery = 200 * time.Millisecond
	}
	if c.FallbackMaxSide <= 0 {
		c.FallbackMaxSide = 320
	}
	if c.MinPSR <= 0 {
		c.MinPSR = 7
	}
	if c.DetectMaxSide <= 0 {
		c.DetectMaxSide = 640
	}
	if c.MinFaceSide <= 0 {
		c.MinFaceSide = 40
	}
	if c.ScaleEvery <= 0 {
		c.ScaleEvery = 5
	}
	if c.Detector == "" {
		c.Detector = "hog"
	}
	return c
}

// Stats counts what an Analyzer did, and how long each stage took in all.
type Stats struct {
	Frames, WithFace                      int
	Detections, DetectorHits, TrackerLoss int
	LandmarkErrors, PoseErrors, BadFrames int
	DetectTime, TrackTime, LandmarkTime   time.Duration
	PoseTime, QualityTime, ConvertTime    time.Duration
}

// Analyzer runs the per-frame face pipeline: detect (on a schedule and on
// loss) → track → 68 landmarks → head pose → quality. It keeps state
// between frames, so it is not safe for concurrent use; run one per
// stream. Close releases its detectors, tracker and scratch Mats; the
// shared Models stay open.
type Analyzer struct {
	cfg       Config
	m         *Models
	detectors []Detector
	tracker   *Tracker

	// grays is a ring of gray images that carry a frame from Locate to
	// Describe; free holds the ones not in flight. small is Locate's
	// scratch, lap/mean/std Describe's.
	grays                       []gocv.Mat
	free                        chan *gocv.Mat
	small, tiny, lap, mean, std gocv.Mat

	tracking   bool
	tracked    int  // frames tracked since the last (re)start
	detected   bool // a detection has run at least once
	lostNow    bool // the tracker lost the face on the current frame
	lastDetect time.Duration
	box        image.Rectangle
	stats      Stats // written by Locate
	dstats     Stats // written by Describe
	closed     atomic.Bool
}

// GrayImages is how many frames may be between Locate and Describe.
const GrayImages = 4

// NewAnalyzer builds an analyzer over shared models.
func NewAnalyzer(m *Models, cfg Config) (*Analyzer, error) {
	if m == nil || m.Landmarks == nil || m.Pose == nil {
		return nil, fmt.Errorf("face: analyzer: models not loaded")
	}
	cfg = cfg.withDefaults()
	a := &Analyzer{cfg: cfg, m: m, small: gocv.NewMat(), tiny: gocv.NewMat(), lap: gocv.NewMat(), mean: gocv.NewMat(), std: gocv.NewMat(),
		grays: make([]gocv.Mat, GrayImages), free: make(chan *gocv.Mat, GrayImages)}
	for i := range a.grays {
		a.grays[i] = gocv.NewMat()
		a.free <- &a.grays[i]
	}
	hog, err := NewHOGDetector(0)
	if err != nil {
		a.Close()
		return nil, err
	}
	haar, err := NewCascadeDetector("haar-frontal-alt2", m.HaarFrontal, 24)
	if err != nil {
		hog.Close()
		a.Close()
		return nil, err
	}
	switch cfg.Detector {
	case "hog":
		a.detectors = []Detector{hog, haar}
	case "haar":
		a.detectors = []Detector{haar, hog}
	default:
		hog.Close()
		haar.Close()
		a.Close()
		return nil, fmt.Errorf("face: unknown detector %q (want hog or haar)", cfg.Detector)
	}
	if a.tracker, err = NewTracker(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Stats returns the counters so far. Call it when no Locate or Describe
// is running.
func (a *Analyzer) Stats() Stats {
	st := a.stats
	st.WithFace, st.LandmarkErrors, st.PoseErrors = a.dstats.WithFace, a.dstats.LandmarkErrors, a.dstats.PoseErrors
	st.LandmarkTime, st.PoseTime, st.QualityTime = a.dstats.LandmarkTime, a.dstats.PoseTime, a.dstats.QualityTime
	return st
}

// Located is the first stage's result for one frame: where the face is.
// It holds one of the analyzer's gray images; pass it to Describe or
// Release exactly once.
type Located struct {
	Index         int
	Time          time.Duration
	Width, Height int
	State         analysis.TrackState
	Box           image.Rectangle
	Confidence    float64
	gray          *gocv.Mat
}

// Analyze runs both stages on f: Describe(Locate(f)). It does not retain
// f. A frame that cannot be analysed returns an error wrapping
// analysis.ErrBadFrame; the analyzer stays usable.
func (a *Analyzer) Analyze(f *analysis.Frame) (analysis.FrameResult, error) {
	l, err := a.Locate(context.Background(), f)
	if err != nil {
		return analysis.FrameResult{Index: f.Index, Time: f.Time, State: analysis.StateNone}, err
	}
	return a.Describe(l), nil
}

// Locate is the first stage: BGR→gray, then tracking and, on schedule or
// on loss, detection. Calls must be sequential (it carries the track from
// frame to frame), but may run concurrently with Describe of earlier
// frames. It does not retain f. It waits for a free gray image when
// GrayImages Located values are outstanding.
func (a *Analyzer) Locate(ctx context.Context, f *analysis.Frame) (Located, error) {
	l := Located{Index: f.Index, Time: f.Time, State: analysis.StateNone}
	if a.closed.Load() {
		return l, ErrClosed
	}
	a.stats.Frames++
	if err := f.Validate(); err != nil {
		a.stats.BadFrames++
		a.tracking = false
		return l, err
	}
	l.Width, l.Height = f.Image.Cols(), f.Image.Rows()
	select {
	case l.gray = <-a.free:
	case <-ctx.Done():
		return l, ctx.Err()
	}
	t0 := time.Now()
	gocv.CvtColor(f.Image, l.gray, gocv.ColorBGRToGray)
	gray := *l.gray
	a.stats.ConvertTime += time.Since(t0)

	a.lostNow = false
	if a.tracking {
		t := time.Now()
		a.tracked++
		b, psr, err := a.tracker.Update(gray, a.tracked%a.cfg.ScaleEvery == 0)
		a.stats.TrackTime += time.Since(t)
		switch {
		case err != nil || psr < a.cfg.MinPSR || !a.plausible(b, l.Width, l.Height):
			a.stats.TrackerLoss++
			a.tracking, a.lostNow = false, true
			l.State = analysis.StateLost
		default:
			l.Box, l.Confidence, l.State = b, clamp01((psr-a.cfg.MinPSR)/(20-a.cfg.MinPSR)), analysis.StateTracked
		}
	}
	if a.dueForDetection(f.Time) {
		if d, ok := a.detect(gray, f.Time); ok {
			l.Box, l.Confidence, l.State = d.Box, d.Confidence, analysis.StateDetected
			if err := a.tracker.Start(gray, d.Box); err == nil {
				a.tracking, a.tracked = true, 0
			}
		}
	}
	if l.State == analysis.StateDetected || l.State == analysis.StateTracked {
		a.box = l.Box
	}
	return l, nil
}

// Describe is the second stage: 68 landmarks, head pose and quality for a
// located face. Calls must be sequential with each other but may overlap
// Locate of later frames. It releases l.
func (a *Analyzer) Describe(l Located) analysis.FrameResult {
	defer a.Release(l)
	res := analysis.FrameResult{Index: l.Index, Time: l.Time, State: l.State, Width: l.Width, Height: l.Height}
	if l.gray == nil || (l.State != analysis.StateDetected && l.State != analysis.StateTracked) {
		if res.State == "" {
			res.State = analysis.StateNone
		}
		return res
	}
	gray := *l.gray
	t := time.Now()
	pts, err := a.m.Landmarks.Predict(gray, l.Box)
	a.dstats.LandmarkTime += time.Since(t)
	if err != nil {
		a.dstats.LandmarkErrors++
		res.State = analysis.StateLost
		return res
	}
	face := &analysis.Face{Box: l.Box, Landmarks: pts, Confidence: l.Confidence}
	t = time.Now()
	pose, err := a.m.Pose.Estimate(pts, l.Width, l.Height)
	a.dstats.PoseTime += time.Since(t)
	if err != nil {
		a.dstats.PoseErrors++
		pose = analysis.Pose{ReprojError: math.Inf(1)}
	}
	face.Pose = pose
	t = time.Now()
	a.measure(gray, face, l.Width, l.Height)
	a.dstats.QualityTime += time.Since(t)
	res.Face = face
	a.dstats.WithFace++
	return res
}

// Release returns l's gray image to the analyzer without describing it,
// for a pipeline that stops early. Describe releases l itself; release
// each Located once.
func (a *Analyzer) Release(l Located) {
	if l.gray == nil {
		return
	}
	select {
	case a.free <- l.gray:
	default: // the ring is full: a double release, ignored rather than corrupting it
	}
}

// dueForDetection: on the redetect schedule while tracking; while not
// tracking, on the first frame and then every RetryEvery; and whenever the
// clock goes backwards (a new clip or a seek).
func (a *Analyzer) dueForDetection(now time.Duration) bool {
	if !a.detected || now < a.lastDetect {
		return true
	}
	since := now - a.lastDetect
	if a.tracking {
		return since >= a.cfg.RedetectEvery
	}
	if a.lostNow {
		return true // the track was lost on this very frame: look at once
	}
	return since >= a.cfg.RetryEvery
}

// detect runs the detectors in order on a downscaled copy and returns the
// best detection for the current track.
func (a *Analyzer) detect(gray gocv.Mat, now time.Duration) (Detection, bool) {
	t := time.Now()
	defer func() { a.stats.DetectTime += time.Since(t) }()
	a.lastDetect, a.detected = now, true
	a.stats.Detections++
	src, scale := gray, 1.0
	if side := max(gray.Cols(), gray.Rows()); side > a.cfg.DetectMaxSide {
		scale = float64(a.cfg.DetectMaxSide) / float64(side)
		gocv.Resize(gray, &a.small, image.Point{}, scale, scale, gocv.InterpolationArea)
		src = a.small
	}
	for _, d := range a.detectors {
		img, s := src, scale
		_, cascade := d.(*CascadeDetector)
		if side := max(src.Cols(), src.Rows()); cascade && side > a.cfg.FallbackMaxSide {
			f := float64(a.cfg.FallbackMaxSide) / float64(side)
			gocv.Resize(src, &a.tiny, image.Point{}, f, f, gocv.InterpolationArea)
			img, s = a.tiny, scale*f
		}
		dets, err := d.Detect(img)
		if err != nil || len(dets) == 0 {
			continue
		}
		for i := range dets {
			dets[i].Box = scaleRect(dets[i].Box, 1/s)
			if cascade {
				dets[i].Box = haarToDlib(dets[i].Box)
			}
		}
		best, ok := a.pick(dets)
		if ok {
			a.stats.DetectorHits++
			return best, true
		}
	}
	return Detection{}, false
}

// pick chooses the detection overlapping the tracked box most, or the
// first (best) one when there is no track.
func (a *Analyzer) pick(dets []Detection) (Detection, bool) {
	var best Detection
	found := false
	bestIoU := 0.0
	for _, d := range dets {
		if d.Box.Dx() < a.cfg.MinFaceSide || d.Box.Dy() < a.cfg.MinFaceSide {
			continue
		}
		if !a.tracking {
			return d, true
		}
		if iou := IoU(d.Box, a.box); !found || iou > bestIoU {
			best, bestIoU, found = d, iou, true
		}
	}
	return best, found
}

// plausible rejects tracker boxes that shrank below the minimum face or
// drifted mostly out of the frame.
func (a *Analyzer) plausible(b image.Rectangle, w, h int) bool {
	if b.Dx() < a.cfg.MinFaceSide || b.Dy() < a.cfg.MinFaceSide {
		return false
	}
	in := b.Intersect(image.Rect(0, 0, w, h))
	return in.Dx()*in.Dy()*2 >= b.Dx()*b.Dy()
}

// Close releases detectors, tracker and scratch Mats. Close is idempotent;
// it must not run concurrently with Locate or Describe.
func (a *Analyzer) Close() error {
	if a.closed.Swap(true) {
		return nil
	}
	for _, d := range a.detectors {
		d.Close()
	}
	if a.tracker != nil {
		a.tracker.Close()
	}
	for i := range a.grays {
		a.grays[i].Close()
	}
	a.small.Close()
	a.tiny.Close()
	a.lap.Close()
	a.mean.Close()
	a.std.Close()
	return nil
}

func scaleRect(r image.Rectangle, s float64) image.Rectangle {
	if s == 1 {
		return r
	}
	return image.Rect(int(float64(r.Min.X)*s), int(float64(r.Min.Y)*s), int(float64(r.Max.X)*s+0.5), int(float64(r.Max.Y)*s+0.5))
}

// IoU is the intersection over union of two boxes.
func IoU(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	i := float64(in.Dx() * in.Dy())
	return i / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - i)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }
