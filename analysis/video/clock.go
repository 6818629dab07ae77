package video

import (
	"math"
	"time"
)

// defaultFPS is assumed when neither the container nor OpenCV knows the
// frame rate; it only spaces timestamps that are missing.
const defaultFPS = 30

// clock turns the decoder's position (CAP_PROP_POS_MSEC) into strictly
// increasing frame times.
//
// OpenCV 4.6 reports 0 for frames that have no presentation timestamp, which
// happens for the last frames of every H.264 file with B-frames (the ones
// drained from the decoder at the end). Those get index/fps. A timestamp
// that goes backwards (concatenated MPEG-TS segments restart at 0) starts a
// new segment: later timestamps are shifted so they continue from the
// previous frame.
type clock struct {
	interval time.Duration // 1/fps
	started  bool
	last     time.Duration
	offset   time.Duration
}

func newClock(fps float64) clock {
	if !(fps > 0 && fps <= maxFPS) {
		fps = defaultFPS
	}
	return clock{interval: time.Duration(math.Round(float64(time.Second) / fps))}
}

// next returns the time of frame index, whose decoder position is posMsec.
func (c *clock) next(index int, posMsec float64) time.Duration {
	t, ok := msec(posMsec)
	if ok && t == 0 && index > 0 {
		ok = false // OpenCV's "no timestamp"
	}
	if ok {
		t += c.offset
	} else {
		t = time.Duration(index) * c.interval
	}
	if c.started && t <= c.last {
		if ok {
			c.offset += c.last + c.interval - t
		}
		t = c.last + c.interval
	}
	c.started, c.last = true, t
	return t
}

// msec converts milliseconds to a Duration rounded to the microsecond;
// negative, NaN or absurd values (over 100 years) give false.
func msec(ms float64) (time.Duration, bool) {
	if math.IsNaN(ms) || ms < 0 || ms > 100*365*24*3600*1e3 {
		return 0, false
	}
	return time.Duration(math.Round(ms*1e3)) * time.Microsecond, true
}
