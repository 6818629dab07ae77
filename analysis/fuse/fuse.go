package fuse

import (
	"math"
	"sort"

	"github.com/unmaskhq/unmask/analysis/signal"
)

// Fuse combines one window's signal scores into a risk, a level and
// ranked reasons by a noisy-OR: each valid signal i is independent
// evidence p_i = w_i · s_i, and
//
//	risk = 1 − Π (1 − p_i)
//
// so one signal with a full score and a weight at or above the high
// threshold raises the level by itself (a confident 400 ms lip-sync
// offset does), weak signals add up without any one of them deciding,
// and invalid signals (no audio, no face) add nothing. Reasons are
// ranked by p_i; each carries its share of the summed evidence.
func Fuse(p Params, scores []signal.Score) Window {
	w := Window{Scores: scores, Reasons: []Reason{}}
	if len(scores) > 0 {
		w.Start, w.End = scores[0].Start, scores[0].End
		for _, s := range scores {
			w.Start = min(w.Start, s.Start)
			w.End = max(w.End, s.End)
		}
	}
	keep := 1.0
	type part struct {
		s signal.Score
		p float64
	}
	var parts []part
	total := 0.0
	for _, s := range scores {
		if !s.Valid || math.IsNaN(s.Value) {
			continue
		}
		pi := p.Weights[s.Signal] * math.Max(0, math.Min(1, s.Value))
		keep *= 1 - pi
		if pi > 0 {
			parts = append(parts, part{s, pi})
			total += pi
		}
	}
	w.Risk = 1 - keep
	w.Level = p.Level(w.Risk)
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].p > parts[j].p })
	for _, x := range parts {
		text := x.s.Signal
		if len(x.s.Reasons) > 0 {
			text = x.s.Reasons[0]
		}
		w.Reasons = append(w.Reasons, Reason{Signal: x.s.Signal, Text: text, Weight: x.p / total})
	}
	return w
}

// Level maps a risk to its level.
func (p Params) Level(risk float64) Level {
	switch {
	case risk >= p.High:
		return High
	case risk >= p.Medium:
		return Medium
	}
	return Low
}
