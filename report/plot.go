package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Timeline geometry, in SVG user units; the SVGs scale to the page width.
const (
	plotW      = 1000
	plotLeft   = 120 // room for the signal's name and the score labels
	plotRight  = 20  // room for the last time label
	plotTop    = 6
	riskH      = 170
	signalH    = 58
	axisRoom   = 20 // below the risk plot, for the time labels
	signalRoom = 4
	// maxPoints bounds the points of one line: more than the plot has
	// pixels only makes the file bigger. Beyond it windows are merged in
	// runs that keep their highest score, so peaks stay visible.
	maxPoints = 1000
	// maxLabel is the longest signal name that fits the left margin.
	maxLabel = 14
	// maxTicks bounds the time labels of any span.
	maxTicks = 12
)

type plotRect struct{ X, Y, W, H, Class, Title string }

type plotTick struct{ Pos, Label string }

type plotMark struct{ X, Href, Title string }

// plot is one SVG of the timeline, all numbers preformatted.
type plot struct {
	Name        string
	H           int
	Top, Bottom string // y of 1 and of 0
	Left, Right string
	LabelX      string // x of the score labels
	TimeY       string // y of the time labels
	Bands       []plotRect
	Spans       []plotRect
	Marks       []plotMark
	Ticks       []plotTick // time, x positions
	Levels      []plotTick // score, y positions
	Label       string     // the name as drawn, cut to fit the margin
	MidX, MidY  string     // centre of the plot area
	FrameW      string
	FrameH      string
	TimeLabels  bool
	Line        string // path data; empty when nothing was valid
}

// timeline maps times and scores of one document to plot coordinates.
type timeline struct {
	span  float64
	order []int // windows in time order
	d     *Document
}

func newTimeline(d *Document) *timeline {
	span := d.Input.Duration
	for _, w := range d.Windows {
		span = max(span, w.EndS)
	}
	for _, e := range d.Evidence {
		span = max(span, e.TimeS)
	}
	if !(span > 0) || math.IsInf(span, 0) {
		span = 1
	}
	order := make([]int, len(d.Windows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.Windows[order[a]].StartS < d.Windows[order[b]].StartS })
	return &timeline{span: span, order: order, d: d}
}

func (tl *timeline) x(t float64) float64 {
	f := min(max(t/tl.span, 0), 1)
	return plotLeft + f*(plotW-plotLeft-plotRight)
}

func yOf(v float64, h, room int) float64 {
	v = min(max(v, 0), 1)
	return plotTop + (1-v)*float64(h-plotTop-room)
}

func num1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// riskPlot is the fused risk with the medium and high bands shaded.
func (tl *timeline) riskPlot() *plot {
	p := tl.frame("risk", riskH, axisRoom)
	p.TimeLabels = true
	th := tl.d.Thresholds
	med, high := min(max(th.Medium, 0), 1), min(max(th.High, 0), 1)
	if med > high {
		med, high = high, med
	}
	band := func(lo, hi float64, class, title string) {
		if hi > lo {
			y0, y1 := yOf(hi, riskH, axisRoom), yOf(lo, riskH, axisRoom)
			p.Bands = append(p.Bands, plotRect{X: p.Left, Y: num1(y0), W: num1(plotW - plotLeft - plotRight), H: num1(y1 - y0), Class: class, Title: title})
		}
	}
	if th.Medium > 0 || th.High > 0 {
		band(med, high, "band-medium", fmt.Sprintf("medium: risk %.2f to %.2f", med, high))
		band(high, 1, "band-high", fmt.Sprintf("high: risk %.2f and above", high))
	}
	p.Levels = []plotTick{{Pos: num1(yOf(0, riskH, axisRoom)), Label: "0"}, {Pos: num1(yOf(0.5, riskH, axisRoom)), Label: "0.5"}, {Pos: num1(yOf(1, riskH, axisRoom)), Label: "1"}}
	p.Line = tl.line(func(w *Window) (float64, bool) { return w.Risk, true }, riskH, axisRoom)
	return p
}

// signalPlot is one signal's score, with gaps where it was not valid.
func (tl *timeline) signalPlot(name string) *plot {
	p := tl.frame(name, signalH, signalRoom)
	p.Label = name
	if r := []rune(name); len(r) > maxLabel {
		p.Label = string(r[:maxLabel-1]) + "…"
	}
	p.Levels = []plotTick{{Pos: num1(yOf(0, signalH, signalRoom)), Label: "0"}, {Pos: num1(yOf(1, signalH, signalRoom)), Label: "1"}}
	p.Line = tl.line(func(w *Window) (float64, bool) { v, ok := w.Scores[name]; return v, ok }, signalH, signalRoom)
	return p
}

// frame builds what every plot shares: flagged windows, evidence marks and
// time ticks.
func (tl *timeline) frame(name string, h, room int) *plot {
	p := &plot{Name: name, H: h, Top: num1(yOf(1, h, room)), Bottom: num1(yOf(0, h, room)),
		Left: num1(plotLeft), Right: num1(plotW - plotRight), LabelX: num1(plotLeft - 4), TimeY: num1(float64(h) - 5)}
	top, bottom := yOf(1, h, room), yOf(0, h, room)
	p.FrameW, p.FrameH = num1(plotW-plotLeft-plotRight), num1(bottom-top)
	p.MidX, p.MidY = num1((plotLeft+plotW-plotRight)/2), num1((top+bottom)/2)
	for _, level := range []string{LevelMedium, LevelHigh} {
		for _, r := range tl.runs(func(w *Window) bool { return w.Level == level }) {
			x0, x1 := tl.x(r.start), tl.x(r.end)
			p.Spans = append(p.Spans, plotRect{X: num1(x0), Y: num1(top), W: num1(max(x1-x0, 1)), H: num1(bottom - top),
				Class: "span-" + level, Title: fmt.Sprintf("%s to %s: %s, peak risk %.2f", clock(r.start), clock(r.end), level, r.peak)})
		}
	}
	for i, e := range tl.d.Evidence {
		p.Marks = append(p.Marks, plotMark{X: num1(tl.x(e.TimeS)), Href: fmt.Sprintf("#ev-%d", i),
			Title: fmt.Sprintf("evidence %d: %s %s %s", i+1, clock(e.TimeS), e.Level, e.Signal)})
	}
	step := tickStep(tl.span)
	for i := 0; i <= maxTicks+1; i++ {
		t := float64(i) * step
		if t > tl.span*(1+1e-9) {
			break
		}
		p.Ticks = append(p.Ticks, plotTick{Pos: num1(tl.x(t)), Label: strings.TrimSuffix(clock(t), ".0")})
	}
	return p
}

// line renders the windows' values as SVG path data, broken where value
// reports no score or where the windows leave a hole in time.
func (tl *timeline) line(value func(*Window) (float64, bool), h, room int) string {
	type pt struct {
		t, v float64
		ok   bool
		gap  bool // a hole in time before this point
	}
	pts := make([]pt, 0, len(tl.order))
	prevEnd := math.Inf(-1)
	for _, i := range tl.order {
		w := &tl.d.Windows[i]
		v, ok := value(w)
		pts = append(pts, pt{t: (w.StartS + w.EndS) / 2, v: v, ok: ok, gap: w.StartS > prevEnd+1e-3})
		prevEnd = max(prevEnd, w.EndS)
	}
	if k := (len(pts) + maxPoints - 1) / maxPoints; k > 1 {
		merged := make([]pt, 0, maxPoints)
		for i := 0; i < len(pts); i += k {
			g := pts[i:min(i+k, len(pts))]
			m := pt{t: (g[0].t + g[len(g)-1].t) / 2, v: math.Inf(-1)}
			for _, q := range g {
				m.gap = m.gap || q.gap
				if q.ok {
					m.ok, m.v = true, max(m.v, q.v)
				}
			}
			merged = append(merged, m)
		}
		pts = merged
	}
	var b strings.Builder
	run := 0
	end := func() {
		if run == 1 {
			b.WriteString("h0.5") // a lone point still shows as a dot
		}
		run = 0
	}
	for _, q := range pts {
		if !q.ok || q.gap {
			end()
		}
		if !q.ok {
			continue
		}
		cmd := "L"
		if run == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%s %s", cmd, num1(tl.x(q.t)), num1(yOf(q.v, h, room)))
		run++
	}
	end()
	return b.String()
}

// run is a stretch of consecutive windows that match one test.
type run struct {
	start, end, peak float64
	peakWindow       int
	level            string
}

// runs merges the overlapping or touching windows that match keep, in
// time order; a run's peak is its highest risk.
func (tl *timeline) runs(keep func(*Window) bool) []run {
	var out []run
	for _, i := range tl.order {
		w := &tl.d.Windows[i]
		if !keep(w) {
			continue
		}
		if n := len(out); n > 0 && w.StartS <= out[n-1].end+1e-3 {
			r := &out[n-1]
			r.end = max(r.end, w.EndS)
			if levelRank(w.Level) > levelRank(r.level) {
				r.level = w.Level
			}
			if w.Risk > r.peak {
				r.peak, r.peakWindow = w.Risk, i
			}
			continue
		}
		out = append(out, run{start: w.StartS, end: max(w.EndS, w.StartS), peak: w.Risk, peakWindow: i, level: w.Level})
	}
	return out
}

func levelRank(l string) int {
	switch l {
	case LevelHigh:
		return 2
	case LevelMedium:
		return 1
	}
	return 0
}

// tickStep picks a step for the time axis that gives at most maxTicks
// labels at round times.
func tickStep(span float64) float64 {
	for _, s := range []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600} {
		if span/s <= maxTicks-1 {
			return s
		}
	}
	// Longer than any recording: round powers of ten of hours.
	hours := span / 3600 / (maxTicks - 1)
	p := math.Pow(10, math.Ceil(math.Log10(hours)))
	for _, f := range []float64{0.2, 0.5, 1} {
		if p*f >= hours {
			return p * f * 3600
		}
	}
	return p * 3600
}
