package signal_test

import (
	"math"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/signal"
)

// eyes returns 68 points whose eyes are 30 px wide and open px tall.
func eyes(open float64) []analysis.Point {
	p := make([]analysis.Point, analysis.NumLandmarks)
	for _, x0 := range []struct {
		i  int
		cx float64
	}{{36, 100}, {42, 160}} {
		i, cx := x0.i, x0.cx
		p[i] = analysis.Point{X: cx - 15, Y: 100}
		p[i+1] = analysis.Point{X: cx - 5, Y: 100 - open/2}
		p[i+2] = analysis.Point{X: cx + 5, Y: 100 - open/2}
		p[i+3] = analysis.Point{X: cx + 15, Y: 100}
		p[i+4] = analysis.Point{X: cx + 5, Y: 100 + open/2}
		p[i+5] = analysis.Point{X: cx - 5, Y: 100 + open/2}
	}
	return p
}

func TestEAR(t *testing.T) {
	if got := signal.EAR(eyes(9)); math.Abs(got-0.3) > 1e-9 {
		t.Errorf("open eye EAR = %v, want 0.3", got)
	}
	if got := signal.EAR(eyes(1.5)); math.Abs(got-0.05) > 1e-9 {
		t.Errorf("closed eye EAR = %v, want 0.05", got)
	}
	if got := signal.EAR(make([]analysis.Point, analysis.NumLandmarks)); !math.IsNaN(got) {
		t.Errorf("degenerate EAR = %v, want NaN", got)
	}
	if got := signal.EAR(nil); !math.IsNaN(got) {
		t.Errorf("no landmarks EAR = %v, want NaN", got)
	}
}

// feed plays a 30 fps face for d whose eyes close for closeFor at every
// period (period 0: never), with a little landmark noise on the open level.
func feed(b *signal.Blink, d, period, closeFor time.Duration) {
	feedLids(b, d, period, closeFor, 3)
}

// feedLids is feed with the closed-lid height given: 3 px is a blink
// (EAR 0.1), 6.8 px lids lowered to look down (EAR 0.23, 0.73 of open: below
// the start threshold, not deep enough for a blink).
func feedLids(b *signal.Blink, d, period, closeFor time.Duration, lid float64) {
	const step = time.Second / 30
	for i := 0; time.Duration(i)*step < d; i++ {
		t := time.Duration(i) * step
		open := 9 + 0.4*math.Sin(float64(i)*1.7) // jitter like real landmarks
		if period > 0 && t%period < closeFor {
			open = lid
		}
		b.Observe(analysis.FrameResult{Index: i, Time: t, State: analysis.StateTracked,
			Face: &analysis.Face{Landmarks: eyes(open), Quality: 0.9}})
	}
}

func TestBlinkRates(t *testing.T) {
	tests := []struct {
		name            string
		period, closing time.Duration
		wantRate        float64 // per minute, ±2
		wantScore       func(float64) bool
	}{
		{"normal conversation, 20/min", 3 * time.Second, 150 * time.Millisecond, 20, func(s float64) bool { return s == 0 }},
		{"never blinks", 0, 0, 0, func(s float64) bool { return s == 0.3 }},
		{"eye flicker, 90/min", 667 * time.Millisecond, 100 * time.Millisecond, 90, func(s float64) bool { return s > 0.3 && s <= 0.5 }},
		{"long closures are not blinks", 3 * time.Second, 900 * time.Millisecond, 0, func(s float64) bool { return s == 0.3 }},
		{"reading rate, 5/min, is normal", 12 * time.Second, 150 * time.Millisecond, 5, func(s float64) bool { return s == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := signal.NewBlink(signal.BlinkConfig{})
			feed(b, 70*time.Second, tt.period, tt.closing)
			s := b.Score(70 * time.Second)
			if !s.Valid {
				t.Fatalf("score invalid: %v", s.Reasons)
			}
			if r := s.Metrics["per_minute"]; math.Abs(r-tt.wantRate) > 2 {
				t.Errorf("rate %.1f per minute, want %.0f", r, tt.wantRate)
			}
			if !tt.wantScore(s.Value) {
				t.Errorf("score %.2f (%v)", s.Value, s.Reasons)
			}
			if len(s.Reasons) == 0 {
				t.Error("no reason given")
			}
		})
	}
}

// TestLookingDownIsNotABlink: lids lowered to read, not reopened within
// MaxClosed, must not count (the false blink found on cap12).
func TestLookingDownIsNotABlink(t *testing.T) {
	b := signal.NewBlink(signal.BlinkConfig{})
	// Every 3 s the lids drop to 0.73 of open for 400 ms and come back.
	feedLids(b, 70*time.Second, 3*time.Second, 400*time.Millisecond, 6.8)
	if n := b.Score(70 * time.Second).Metrics["blinks"]; n != 0 {
		t.Errorf("%v blinks counted from lowered lids, want 0", n)
	}
}

func TestBlinkNeedsEnoughFace(t *testing.T) {
	b := signal.NewBlink(signal.BlinkConfig{})
	feed(b, 10*time.Second, 0, 0)
	if s := b.Score(10 * time.Second); s.Valid || s.Value != 0 || len(s.Reasons) == 0 {
		t.Errorf("10 s of face: %+v, want invalid with a reason", s)
	}
	// Frames without a face or with poor quality are not counted.
	b = signal.NewBlink(signal.BlinkConfig{})
	for i := 0; i < 30*70; i++ {
		tm := time.Duration(i) * time.Second / 30
		b.Observe(analysis.FrameResult{Index: i, Time: tm, State: analysis.StateNone})
		b.Observe(analysis.FrameResult{Index: i, Time: tm, State: analysis.StateTracked,
			Face: &analysis.Face{Landmarks: eyes(9), Quality: 0.1}})
	}
	if s := b.Score(70 * time.Second); s.Valid {
		t.Errorf("no usable face: score valid %+v", s)
	}
}

// BenchmarkBlinkObserve is the blink signal's cost per frame.
func BenchmarkBlinkObserve(b *testing.B) {
	s := signal.NewBlink(signal.BlinkConfig{})
	r := analysis.FrameResult{State: analysis.StateTracked, Face: &analysis.Face{Landmarks: eyes(9), Quality: 0.9}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Index, r.Time = i, time.Duration(i)*time.Second/30
		s.Observe(r)
	}
}
