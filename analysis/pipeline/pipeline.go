package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/measure"
)

// Source yields frames on out and closes out when done; the receiver owns
// each Frame. *video.FileSource implements it.
type Source interface {
	Frames(ctx context.Context, out chan<- analysis.Frame) error
}

// Analyzer turns a frame into a result and does not retain it.
// *face.Analyzer implements it.
type Analyzer interface {
	Analyze(f *analysis.Frame) (analysis.FrameResult, error)
}

// Staged is an analyzer split in two stages that may run concurrently on
// consecutive frames: *face.Analyzer implements it. Run uses both cores
// for it: Locate of frame t+1 overlaps Describe of frame t.
type Staged interface {
	Locate(ctx context.Context, f *analysis.Frame) (face.Located, error)
	Describe(l face.Located) analysis.FrameResult
	Release(l face.Located)
}

// Sink receives every result in order. An error stops the run.
type Sink func(analysis.FrameResult) error

// Policy chooses how the queue between source and analysis behaves.
type Policy int

const (
	// Block makes the source wait for analysis: for files.
	Block Policy = iota
	// Latest keeps only the newest frame and drops the rest: for live sources.
	Latest
)

// Options configure Run. The zero value blocks with a buffer of 4 frames.
type Options struct {
	Policy Policy
	// Buffer is the queue length for Block (default 4); Latest always uses 1.
	Buffer int
	// MaxBadFrames stops the run after this many consecutive frames that
	// fail validation (default 100), so a broken stream ends with an error
	// instead of spinning.
	MaxBadFrames int
	// Measure adds the pixel statistics the signals need to every result
	// (FrameResult.Measures), at about 1-3 ms per frame.
	Measure bool
}

// Result summarises a run.
type Result struct {
	Frames    int           // frames the source produced
	Analysed  int           // frames analysed
	Dropped   int           // frames displaced by newer ones (Latest only)
	BadFrames int           // frames that failed validation
	WithFace  int           // results with a tracked or detected face
	Wall      time.Duration // elapsed time of Run
}

// ErrTooManyBadFrames ends a run whose source keeps producing unusable frames.
var ErrTooManyBadFrames = errors.New("pipeline: too many consecutive bad frames")

// Run pumps src through a into sink until the source ends, the context is
// cancelled or a stage fails. It closes every frame it receives.
func Run(ctx context.Context, src Source, a Analyzer, sink Sink, opt Options) (Result, error) {
	start := time.Now()
	if opt.Buffer <= 0 {
		opt.Buffer = 4
	}
	if opt.MaxBadFrames <= 0 {
		opt.MaxBadFrames = 100
	}
	var res Result
	var produced, dropped atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	// A consumer that stops cancels before draining, so the source stops
	// decoding instead of running to the end of the file into the drain.
	ctx, cancel := context.WithCancel(gctx)
	defer cancel()

	raw := make(chan analysis.Frame)
	// internal hides the cancellation a stopping consumer causes, so that
	// the consumer's own error is the one Run reports.
	internal := func(err error) error {
		if errors.Is(err, context.Canceled) && gctx.Err() == nil {
			return nil
		}
		return err
	}
	g.Go(func() error { return internal(src.Frames(ctx, raw)) })

	var queue chan analysis.Frame
	switch opt.Policy {
	case Latest:
		queue = make(chan analysis.Frame, 1)
		g.Go(func() error { return internal(latest(ctx, raw, queue, &produced, &dropped)) })
	default:
		queue = make(chan analysis.Frame, opt.Buffer)
		g.Go(func() error { return internal(relay(ctx, raw, queue, &produced)) })
	}

	badRun := 0
	// judge counts one analysed frame: a bad frame is skipped until too
	// many come in a row; any other error stops the run. Only the first
	// consumer stage calls it.
	judge := func(index int, err error) (use bool, stop error) {
		res.Analysed++
		switch {
		case err == nil:
			badRun = 0
			return true, nil
		case errors.Is(err, analysis.ErrBadFrame):
			res.BadFrames++
			if badRun++; badRun >= opt.MaxBadFrames {
				return false, fmt.Errorf("%w (%d in a row, last: %v)", ErrTooManyBadFrames, badRun, err)
			}
			return false, nil
		default:
			return false, fmt.Errorf("pipeline: frame %d: %w", index, err)
		}
	}
	var meas *measure.Measurer
	if opt.Measure {
		meas = measure.New()
		defer meas.Close()
	}
	// measured adds the pixel statistics of f to r and closes f. A frame
	// that cannot be measured keeps its face result without them.
	measured := func(f *analysis.Frame, r analysis.FrameResult) analysis.FrameResult {
		if meas != nil {
			if m, err := meas.Measure(f.Image, r); err == nil {
				r.Measures = m
			}
		}
		f.Close()
		return r
	}
	deliver := func(r analysis.FrameResult) error {
		if r.HasFace() {
			res.WithFace++
		}
		if sink != nil {
			if err := sink(r); err != nil {
				return fmt.Errorf("pipeline: sink: %w", err)
			}
		}
		return nil
	}

	if st, ok := a.(Staged); ok {
		// The frame travels with its location when it is to be measured,
		// so that Describe and Measure run on the second core.
		type pair struct {
			l face.Located
			f analysis.Frame
		}
		located := make(chan pair, 2)
		g.Go(func() (err error) {
			defer func() { err = internal(err) }()
			defer close(located)
			defer func() { cancel(); drain(queue) }()
			for {
				f, ok, err := receive(ctx, queue)
				if !ok {
					return err
				}
				l, err := st.Locate(ctx, &f)
				if meas == nil {
					f.Close()
				}
				if use, err := judge(f.Index, err); !use {
					f.Close()
					if err != nil {
						return err
					}
					continue
				}
				select {
				case located <- pair{l, f}:
				case <-ctx.Done():
					st.Release(l)
					f.Close()
					return ctx.Err()
				}
			}
		})
		g.Go(func() error {
			defer func() {
				cancel() // stop Locate before draining it, or the drain lasts the whole input
				for p := range located {
					st.Release(p.l)
					p.f.Close()
				}
			}()
			for p := range located {
				if err := deliver(measured(&p.f, st.Describe(p.l))); err != nil {
					return err
				}
			}
			return nil
		})
	} else {
		g.Go(func() (err error) {
			defer func() { err = internal(err) }()
			defer func() { cancel(); drain(queue) }()
			for {
				f, ok, err := receive(ctx, queue)
				if !ok {
					return err
				}
				r, err := a.Analyze(&f)
				if use, err := judge(f.Index, err); !use {
					f.Close()
					if err != nil {
						return err
					}
					continue
				}
				if err := deliver(measured(&f, r)); err != nil {
					return err
				}
			}
		})
	}
	err := g.Wait()
	res.Frames = int(produced.Load())
	res.Dropped = int(dropped.Load())
	res.Wall = time.Since(start)
	return res, err
}

// receive takes the next frame; ok is false at the end of the queue
// (err nil) or on cancellation (err set).
func receive(ctx context.Context, queue <-chan analysis.Frame) (analysis.Frame, bool, error) {
	select {
	case f, ok := <-queue:
		return f, ok, nil
	case <-ctx.Done():
		return analysis.Frame{}, false, ctx.Err()
	}
}

// relay forwards frames, waiting for room: every frame is analysed.
func relay(ctx context.Context, in <-chan analysis.Frame, out chan<- analysis.Frame, n *atomic.Int64) error {
	defer close(out)
	defer drain(in)
	for f := range in {
		n.Add(1)
		select {
		case out <- f:
		case <-ctx.Done():
			f.Close()
			return ctx.Err()
		}
	}
	return nil
}

// latest forwards frames into a one-slot queue; when the slot is taken the
// older frame is closed and counted, so the source never waits.
func latest(ctx context.Context, in <-chan analysis.Frame, out chan analysis.Frame, n, dropped *atomic.Int64) error {
	defer close(out)
	defer drain(in)
	for f := range in {
		n.Add(1)
		if ctx.Err() != nil {
			f.Close()
			return ctx.Err()
		}
		for {
			select {
			case out <- f:
			default:
				select {
				case old := <-out:
					old.Close()
					dropped.Add(1)
				default:
				}
				continue
			}
			break
		}
	}
	return nil
}

// drain closes every frame still in ch until it is closed. Producers close
// their channels on every path, so this ends.
func drain(ch <-chan analysis.Frame) {
	for f := range ch {
		f.Close()
	}
}
