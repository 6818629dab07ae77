package live

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/pipeline"
)

// slotSource yields the frames the video reader offers, until the reader
// closes the slot.
type slotSource struct{ slot chan analysis.Frame }

func (s slotSource) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	defer close(out)
	for {
		select {
		case f, ok := <-s.slot:
			if !ok {
				return nil
			}
			select {
			case out <- f:
			case <-ctx.Done():
				f.Close()
				return ctx.Err()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// analyse runs the pipeline over the call until the video ends.
func (c *Call) analyse() {
	defer close(c.analysis)
	// The slot already keeps only the newest frame and counts the rest;
	// behind it the pipeline waits with a one-frame buffer, so every drop
	// happens (and is counted) in one place while the call runs.
	res, err := pipeline.Run(c.ctx, slotSource{c.slot}, c.an, c.sink, pipeline.Options{Policy: pipeline.Block, Buffer: 1, Measure: true})
	c.voice.drain(c.cfg.LipSync.PushAudio)
	c.release(math.MaxInt64)
	c.tl.Finish()
	// Frames the reader offered after analysis stopped.
	for f := range c.slot {
		f.Close()
	}
	c.mu.Lock()
	c.pres = res
	if err != nil && !errors.Is(err, context.Canceled) {
		c.anErr = err
		c.log.Error("analysis stopped", "err", err)
	}
	c.mu.Unlock()
}

// maxLatencySamples bounds the latency history to about 40 s at 25 fps.
const maxLatencySamples = 1000

// scoreDelay holds frames back from the timeline so that when a window is
// scored the voice after it has arrived: lip-sync searches lags up to
// 2.5 s either way, and a file's analysis has that voice too. Without the
// delay a live call could not see sound that comes late, which is what a
// swap pipeline's video delay looks like from the other side. The overlay
// (OnFrame) is not delayed; the verdict is, by this much.
const scoreDelay = 2600 * time.Millisecond

// sink runs in the analysis goroutine: it hands the queued voice and
// device findings to their signals, and frames to the timeline once the
// voice that follows them has arrived.
func (c *Call) sink(r analysis.FrameResult) error {
	c.voice.drain(c.cfg.LipSync.PushAudio)
	c.mu.Lock()
	notes := c.notes
	c.notes = nil
	c.status.Video.Analysed++
	if at := c.arrivals[r.Index%len(c.arrivals)]; !at.IsZero() {
		if len(c.latency) == maxLatencySamples {
			c.latency = c.latency[1:]
		}
		c.latency = append(c.latency, time.Since(at))
	}
	if r.HasFace() {
		c.status.Video.WithFace++
	}
	c.mu.Unlock()
	for _, n := range notes {
		c.cfg.VirtualCamera.Note(n.reason, n.value)
	}
	if c.cfg.OnFrame != nil {
		c.cfg.OnFrame(r)
	}
	c.held = append(c.held, r)
	c.release(r.Time - scoreDelay)
	return nil
}

// release feeds the timeline every held frame up to until.
func (c *Call) release(until time.Duration) {
	n := 0
	for n < len(c.held) && c.held[n].Time <= until {
		c.tl.Observe(c.held[n])
		n++
	}
	c.held = append(c.held[:0], c.held[n:]...)
}
