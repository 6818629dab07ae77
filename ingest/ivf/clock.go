package ivf

import (
	"math"
	"time"
)

const (
	// maxSeconds bounds a timestamp; beyond it (a damaged pts) the frame is
	// placed one interval after the previous one.
	maxSeconds = 100 * 365 * 24 * 3600
	// defaultFPS spaces frames whose timestamps are unusable when the rate
	// cannot be estimated either.
	defaultFPS = 30
)

// clock turns timestamps into times relative to the first frame's,
// strictly increasing.
type clock struct {
	num, den uint32        // timebase
	step     time.Duration // one frame at the estimated rate
	started  bool
	pts0     uint64
	last     time.Duration
}

// newClock returns a clock for a timebase of num/den seconds and a frame
// rate of fps (defaultFPS when fps <= 0).
func newClock(num, den uint32, fps float64) clock {
	if fps <= 0 {
		fps = defaultFPS
	}
	return clock{num: num, den: den, step: time.Duration(math.Round(float64(time.Second) / fps))}
}

// time returns pts as a time relative to the first frame's. A timestamp
// that repeats, goes back or is absurd (damaged files; pion's default mode
// repeats values above 33 fps) is placed one frame step after the previous
// frame.
func (c *clock) time(pts uint64) time.Duration {
	if !c.started {
		c.started, c.pts0, c.last = true, pts, 0
		return 0
	}
	t := c.last + c.step
	sec := float64(int64(pts-c.pts0)) * float64(c.num) / float64(c.den)
	if v := time.Duration(math.Round(sec * 1e9)); sec >= 0 && sec <= maxSeconds && v > c.last {
		t = v
	}
	c.last = t
	return t
}

// estimateFPS returns the mean rate of n frames spanning first..last, or,
// without a usable span, den when the timebase is 1/den with den a likely
// frame rate (FFmpeg writes 1/fps); 0 when unknown.
func estimateFPS(n int, first, last uint64, num, den uint32) float64 {
	if n >= 2 && last > first {
		if fps := float64(n-1) * float64(den) / (float64(last-first) * float64(num)); fps > 0 && fps <= 1000 {
			return fps
		}
	}
	if num == 1 && den >= 1 && den <= 240 {
		return float64(den)
	}
	return 0
}
