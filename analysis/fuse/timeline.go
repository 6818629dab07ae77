package fuse

import (
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/signal"
)

// Timeline feeds every frame result to the signals and, each Hop of media
// time, scores them all over the window that ends there and fuses the
// scores. It is used by one goroutine (the pipeline's sink).
type Timeline struct {
	p       Params
	sigs    []signal.Signal
	hop     time.Duration
	first   time.Duration
	next    time.Duration
	last    time.Duration
	lastIdx int
	seen    bool
	windows []Window
	errs    int
	// OnWindow, when set, is called with each window as it is scored.
	OnWindow func(Window)
}

// Window timing: windows of about 2 s (the signals' own length) end every
// second, so an event of a second or more lands in two of them.
const (
	DefaultHop   = time.Second
	DefaultFirst = 2 * time.Second
)

// NewTimeline returns a timeline over sigs, in report order.
func NewTimeline(p Params, sigs ...signal.Signal) *Timeline {
	return &Timeline{p: p, sigs: sigs, hop: DefaultHop, first: DefaultFirst, next: DefaultFirst}
}

// Observe hands r to every signal, first scoring the windows that end
// before r. A signal's error on one frame is counted, not fatal.
func (t *Timeline) Observe(r analysis.FrameResult) {
	for r.Time > t.next {
		t.score(t.next)
		t.next += t.hop
	}
	for _, s := range t.sigs {
		if err := s.Observe(r); err != nil {
			t.errs++
		}
	}
	t.last, t.lastIdx, t.seen = r.Time, r.Index, true
}

// Finish scores the last, partial window when at least half a hop of media
// followed the previous one.
func (t *Timeline) Finish() {
	if !t.seen {
		return
	}
	if t.last >= t.next-t.hop/2 {
		t.score(t.last)
		t.next = t.last + t.hop
	}
}

func (t *Timeline) score(end time.Duration) {
	scores := make([]signal.Score, len(t.sigs))
	for i, s := range t.sigs {
		scores[i] = s.Score(end)
	}
	w := Fuse(t.p, scores)
	w.End = end
	w.Start = max(0, end-t.first)
	w.EndFrame = t.lastIdx
	t.windows = append(t.windows, w)
	if t.OnWindow != nil {
		t.OnWindow(w)
	}
}

// Windows returns the windows scored so far (shared, not copied).
func (t *Timeline) Windows() []Window { return t.windows }

// Errors counts signal errors on single frames.
func (t *Timeline) Errors() int { return t.errs }

// Persistent returns, for each window, the smaller of its value and the
// larger of its neighbours': a value must hold over two overlapping
// windows to count, so a one-window spike of a noisy cue does not set the
// verdict of a whole interview. With one window it is that window's value.
func Persistent(v []float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		if len(v) == 1 {
			out[i] = v[i]
			continue
		}
		nb := math.Inf(-1)
		if i > 0 {
			nb = v[i-1]
		}
		if i+1 < len(v) {
			nb = math.Max(nb, v[i+1])
		}
		out[i] = math.Min(v[i], nb)
	}
	return out
}

// Summary is the verdict over a whole input.
type Summary struct {
	Risk  float64
	Level Level
	// Peak is the index of the window that set Risk (-1 without windows).
	Peak int
	// Signals holds, per signal name, its persistent peak score, the
	// window where it peaked (-1 if never valid) and whether it was ever
	// valid.
	Signals map[string]SignalPeak
}

// SignalPeak is one signal over a whole input.
type SignalPeak struct {
	Score  float64
	Window int
	Valid  bool
}

// Summarise reduces windows to the input's verdict: the maximum over
// windows of the persistent risk, and per signal the maximum of its
// persistent score over the windows where it was valid.
func Summarise(p Params, windows []Window, names []string) Summary {
	s := Summary{Peak: -1, Signals: map[string]SignalPeak{}}
	risk := make([]float64, len(windows))
	for i, w := range windows {
		risk[i] = w.Risk
	}
	for i, r := range Persistent(risk) {
		if s.Peak < 0 || r > s.Risk {
			s.Risk, s.Peak = r, i
		}
	}
	s.Level = p.Level(s.Risk)
	for _, name := range names {
		vals := make([]float64, len(windows))
		valid := make([]bool, len(windows))
		anyValid := false
		for i, w := range windows {
			for _, sc := range w.Scores {
				if sc.Signal == name && sc.Valid {
					vals[i], valid[i], anyValid = sc.Value, true, true
				}
			}
		}
		pk := SignalPeak{Window: -1, Valid: anyValid}
		for i, v := range Persistent(vals) {
			if valid[i] && (pk.Window < 0 || v > pk.Score) {
				pk.Score, pk.Window = v, i
			}
		}
		s.Signals[name] = pk
	}
	return s
}
