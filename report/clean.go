package report

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// clean returns a deep copy of d that JSON and HTML can always carry:
// strings are valid UTF-8, numbers are finite, nil collections are empty,
// the time is UTC. A window score that is not finite is dropped (Scores
// holds valid signals only); a summary score that is not finite makes the
// summary invalid; any other such number becomes 0. Every replacement is
// counted in one added warning, so a report never hides that its numbers
// were repaired.
func clean(d *Document) Document {
	bad := 0
	num := func(x float64) float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			bad++
			return 0
		}
		return x
	}
	ptr := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		if math.IsNaN(*p) || math.IsInf(*p, 0) {
			bad++
			return nil
		}
		v := *p
		return &v
	}

	c := Document{
		Schema: d.Schema, Tool: text(d.Tool), Generated: d.Generated.UTC(),
		Input: Input{
			Path: text(d.Input.Path), SHA256: text(d.Input.SHA256), Duration: num(d.Input.Duration),
			Width: d.Input.Width, Height: d.Input.Height, FPS: num(d.Input.FPS),
			HasAudio: d.Input.HasAudio, Audio: text(d.Input.Audio),
		},
		Risk: num(d.Risk), Level: text(d.Level),
		Thresholds: Thresholds{Medium: num(d.Thresholds.Medium), High: num(d.Thresholds.High)},
		Signals:    make(map[string]Summary, len(d.Signals)),
		Windows:    make([]Window, len(d.Windows)),
		Evidence:   make([]Evidence, len(d.Evidence)),
		Warnings:   texts(d.Warnings),
	}
	if y := c.Generated.Year(); y < 0 || y > 9999 {
		c.Generated = time.Time{} // JSON cannot carry it
		bad++
	}
	for k, s := range d.Signals {
		s.Reasons = texts(s.Reasons)
		if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) {
			s.Score, s.Valid = 0, false
			bad++
		}
		s.PeakS, s.OffsetMs, s.Confidence = num(s.PeakS), ptr(s.OffsetMs), ptr(s.Confidence)
		c.Signals[text(k)] = s
	}
	for i, w := range d.Windows {
		scores := make(map[string]float64, len(w.Scores))
		for k, v := range w.Scores {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad++
				continue
			}
			scores[text(k)] = v
		}
		reasons := make([]Reason, len(w.Reasons))
		for j, r := range w.Reasons {
			reasons[j] = Reason{Signal: text(r.Signal), Text: text(r.Text), Weight: num(r.Weight)}
		}
		c.Windows[i] = Window{StartS: num(w.StartS), EndS: num(w.EndS), Risk: num(w.Risk),
			Level: text(w.Level), Scores: scores, Reasons: reasons}
	}
	for i, e := range d.Evidence {
		e.TimeS, e.Risk = num(e.TimeS), num(e.Risk)
		e.Level, e.Signal, e.Reason, e.Note = text(e.Level), text(e.Signal), text(e.Reason), text(e.Note)
		e.Plain, e.Marked, e.Clip, e.Metrics = text(e.Plain), text(e.Marked), text(e.Clip), text(e.Metrics)
		c.Evidence[i] = e
	}
	if bad > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("report: %d values were not finite numbers; they are shown as 0 or left out", bad))
	}
	return c
}

// text makes s valid UTF-8.
func text(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// texts cleans a list of strings; the result is never nil.
func texts(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = text(s)
	}
	return out
}
