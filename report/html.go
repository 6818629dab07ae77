package report

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var pageSource string

// page is parsed once; html/template escapes every value by context, so
// paths, reasons and notes from the analysis can never become markup.
var page = template.Must(template.New("report").Parse(pageSource))

// maxRuns bounds the flagged-periods table; report.json has them all.
const maxRuns = 200

type pageView struct {
	LevelText, LevelClass, Risk, ThresholdText string
	Input                                      Input
	InputName                                  string
	Duration, VideoText, AudioText             string
	WindowsText                                string
	Tool, Generated                            string
	Warnings                                   []string
	RiskPlot                                   *plot
	SignalPlots                                []*plot
	Rows                                       []signalRow
	Runs                                       []runRow
	MoreRuns                                   int
	Cards                                      []card
}

type signalRow struct {
	Name, Score, Peak, Offset, Confidence string
	Reasons                               []string
}

type runRow struct{ Start, End, Level, LevelClass, Risk, Reason string }

type card struct {
	ID, Time, Level, LevelClass, Risk, Signal, Reason, Note, Window, Frame string
	Thumb                                                                  template.URL
	ThumbError                                                             string
	Links                                                                  []link
}

type link struct{ Href, Label string }

// WriteHTML writes d as one self-contained HTML page: no request leaves
// it (styles inline, plots as inline SVG, thumbnails as data URIs) so it
// can be archived and opened offline. dir is the directory holding the
// evidence files; the annotated frames are read from it and shrunk to
// thumbnails, and the files are linked relative to it. A missing or
// unreadable frame costs its thumbnail, not the report. d is not changed.
func WriteHTML(w io.Writer, d *Document, dir string) error {
	if d == nil {
		return errors.New("report: html: no document")
	}
	c := clean(d)
	var buf bytes.Buffer
	if err := page.Execute(&buf, newPageView(&c, dir)); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}

func newPageView(d *Document, dir string) *pageView {
	v := &pageView{
		LevelText: d.Level, LevelClass: levelClass(d.Level), Risk: fmt.Sprintf("%.2f", d.Risk),
		Input: d.Input, InputName: path.Base(strings.ReplaceAll(d.Input.Path, "\\", "/")),
		Duration: fmt.Sprintf("%s (%.1f s)", clock(d.Input.Duration), d.Input.Duration),
		Tool:     d.Tool, Generated: "unknown", Warnings: d.Warnings,
	}
	if v.LevelText == "" {
		v.LevelText = "unknown"
	}
	if !d.Generated.IsZero() {
		v.Generated = d.Generated.Format(time.RFC3339)
	}
	if th := d.Thresholds; th.Medium > 0 || th.High > 0 {
		v.ThresholdText = fmt.Sprintf("medium from %.2f, high from %.2f", th.Medium, th.High)
	}
	v.VideoText = fmt.Sprintf("%d×%d at %.2f fps", d.Input.Width, d.Input.Height, d.Input.FPS)
	v.AudioText = "no audio track"
	if d.Input.HasAudio {
		v.AudioText = "audio track present"
	}

	tl := newTimeline(d)
	flagged := 0
	for _, w := range d.Windows {
		if levelRank(w.Level) > 0 {
			flagged++
		}
	}
	v.WindowsText = fmt.Sprintf("%d scored, %d at medium or high", len(d.Windows), flagged)
	v.RiskPlot = tl.riskPlot()
	for _, name := range signalOrder(d) {
		v.SignalPlots = append(v.SignalPlots, tl.signalPlot(name))
		v.Rows = append(v.Rows, newSignalRow(name, d.Signals))
	}
	runs := tl.runs(func(w *Window) bool { return levelRank(w.Level) > 0 })
	if len(runs) > maxRuns {
		v.MoreRuns = len(runs) - maxRuns
		runs = runs[:maxRuns]
	}
	for _, r := range runs {
		row := runRow{Start: clock(r.start), End: clock(r.end), Level: r.level, LevelClass: levelClass(r.level), Risk: fmt.Sprintf("%.2f", r.peak)}
		if rs := d.Windows[r.peakWindow].Reasons; len(rs) > 0 {
			row.Reason = rs[0].Signal + ": " + rs[0].Text
		}
		v.Runs = append(v.Runs, row)
	}
	for i, e := range d.Evidence {
		v.Cards = append(v.Cards, newCard(i, e, dir))
	}
	return v
}

// signalOrder is SignalNames, then any other signal the document
// mentions, sorted, so nothing it holds is left out of the page.
func signalOrder(d *Document) []string {
	seen := make(map[string]bool, len(SignalNames))
	for _, n := range SignalNames {
		seen[n] = true
	}
	var extra []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			extra = append(extra, n)
		}
	}
	for n := range d.Signals {
		add(n)
	}
	for _, w := range d.Windows {
		for n := range w.Scores {
			add(n)
		}
	}
	sort.Strings(extra)
	return append(append([]string(nil), SignalNames...), extra...)
}

func newSignalRow(name string, sums map[string]Summary) signalRow {
	row := signalRow{Name: name, Score: "not run", Peak: "—", Offset: "—", Confidence: "—"}
	s, ok := sums[name]
	if !ok {
		return row
	}
	row.Reasons = s.Reasons
	if !s.Valid {
		row.Score = "could not judge"
		return row
	}
	row.Score, row.Peak = fmt.Sprintf("%.2f", s.Score), clock(s.PeakS)
	if s.OffsetMs != nil {
		row.Offset = fmt.Sprintf("%+.0f ms", *s.OffsetMs)
	}
	if s.Confidence != nil {
		row.Confidence = fmt.Sprintf("%.2f", *s.Confidence)
	}
	return row
}

func newCard(i int, e Evidence, dir string) card {
	c := card{
		ID: fmt.Sprintf("ev-%d", i), Time: clock(e.TimeS), Level: e.Level, LevelClass: levelClass(e.Level),
		Risk: fmt.Sprintf("%.2f", e.Risk), Signal: e.Signal, Reason: e.Reason, Note: e.Note,
		Window: fmt.Sprint(e.Window), Frame: fmt.Sprint(e.Frame),
	}
	src := e.Marked
	if src == "" {
		src = e.Plain
	}
	thumb, err := thumbnail(dir, src)
	switch {
	case err == nil:
		c.Thumb = thumb
	case errors.Is(err, fs.ErrNotExist):
		c.ThumbError = "frame file not found"
	default:
		c.ThumbError = err.Error()
	}
	for _, l := range []link{{e.Marked, "annotated frame"}, {e.Plain, "plain frame"}, {e.Clip, "clip"}, {e.Metrics, "metrics"}} {
		if ref, ok := localRef(l.Href); ok {
			c.Links = append(c.Links, link{Href: ref, Label: l.Label})
		}
	}
	return c
}

// levelClass maps a level to its CSS class; anything else is "unknown".
func levelClass(level string) string {
	switch level {
	case LevelHigh, LevelMedium, LevelLow:
		return "lv-" + level
	}
	return "lv-unknown"
}
