package report_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/report"
	"github.com/unmaskhq/unmask/testdata/clips"
)

const hostile = `<script>alert(1)</script>`

// sampleDoc is a report over n windows of 1 s (hop 1 s, length 2 s), with
// a medium stretch and a high stretch, blink invalid for a while and
// evidence cards for the files in dir (written by writeFrames).
func sampleDoc(n int, evidenceFiles []report.Evidence) *report.Document {
	d := &report.Document{
		Schema: report.Schema, Tool: "unmask 1.2.3", Generated: time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600)),
		Input: report.Input{Path: "/data/interviews/cand <7>.mp4", SHA256: strings.Repeat("ab12", 16), Duration: float64(n) + 1,
			Width: 1280, Height: 720, FPS: 30, HasAudio: true},
		Risk: 0.81, Level: report.LevelHigh, Thresholds: report.Thresholds{Medium: 0.4, High: 0.7},
		Signals:  map[string]report.Summary{},
		Evidence: evidenceFiles,
		Warnings: []string{"input has a variable frame rate", hostile},
	}
	off, conf := 180.0, 0.74
	for i, name := range report.SignalNames {
		s := report.Summary{Score: 0.1 * float64(i+1), Valid: true, Reasons: []string{name + " looked normal"}, PeakS: 12}
		if name == "lipsync" {
			s.OffsetMs, s.Confidence, s.Reasons = &off, &conf, []string{"mouth lags the voice by 180 ms", hostile}
		}
		d.Signals[name] = s
	}
	d.Signals["virtual_camera"] = report.Summary{Valid: false, Reasons: []string{"no device metadata in a file"}}
	for i := range n {
		t := float64(i)
		risk := 0.2 + 0.1*math.Sin(t/7)
		switch {
		case i%600 >= 100 && i%600 < 120:
			risk = 0.55
		case i%600 >= 300 && i%600 < 310:
			risk = 0.85
		}
		level := report.LevelLow
		if risk >= 0.7 {
			level = report.LevelHigh
		} else if risk >= 0.4 {
			level = report.LevelMedium
		}
		scores := map[string]float64{}
		for j, name := range report.SignalNames {
			scores[name] = math.Abs(math.Sin(t/float64(5+j))) * risk
		}
		if i%100 < 30 {
			delete(scores, "blink") // no blink judged: a gap
		}
		delete(scores, "virtual_camera")
		d.Windows = append(d.Windows, report.Window{StartS: t, EndS: t + 2, Risk: risk, Level: level, Scores: scores,
			Reasons: []report.Reason{{Signal: "lipsync", Text: "mouth lags the voice", Weight: 0.6}}})
	}
	return d
}

// writeFrames writes a 400x300 PNG with a red box for each record in
// dir, as Extract would name them.
func writeFrames(tb testing.TB, dir string, evs []report.Evidence) {
	tb.Helper()
	for _, e := range evs {
		img := image.NewRGBA(image.Rect(0, 0, 400, 300))
		for y := range 300 {
			for x := range 400 {
				img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
			}
		}
		for y := 59; y <= 61; y++ { // a box edge
			for x := 100; x < 300; x++ {
				img.Set(x, y, color.RGBA{220, 30, 30, 255})
			}
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			tb.Fatal(err)
		}
		for _, name := range []string{e.Plain, e.Marked} {
			if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

func evidenceAt(window int, timeS float64, level string) report.Evidence {
	base := fmt.Sprintf("w%03d-f%06d", window, int(timeS*30))
	return report.Evidence{Window: window, TimeS: timeS, Frame: int(timeS * 30), Level: level, Risk: 0.85, Signal: "lipsync",
		Reason: hostile, Note: "note & <b>bold</b>", Plain: base + "-plain.png", Marked: base + "-annotated.png",
		Clip: base + "-clip.mp4", Metrics: base + "-metrics.json"}
}

var refAttr = regexp.MustCompile(`(?i)\s(?:src|href|xlink:href|action|srcset|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

// assertSelfContained fails when the page could load anything from
// elsewhere: every src and href must be a fragment, an inline JPEG or a
// relative path.
func assertSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, m := range refAttr.FindAllStringSubmatch(page, -1) {
		v := html.UnescapeString(strings.Trim(m[1], `"'`))
		switch {
		case strings.HasPrefix(v, "#"), strings.HasPrefix(v, "data:image/jpeg;base64,") && !strings.ContainsAny(v, " \"'<>"):
		case strings.Contains(v, "//"), strings.Contains(v, ":"), strings.HasPrefix(v, "/"), strings.Contains(v, "\\"):
			t.Errorf("external reference %.200s", m[0])
		}
	}
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "<link", "<iframe", "<object", "<embed", "<base", "<img src=\"http", "http-equiv"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if i, j := strings.Index(lower, "<style>"), strings.Index(lower, "</style>"); i < 0 || j < i {
		t.Error("page has no inline style sheet")
	} else if css := lower[i:j]; strings.Contains(css, "url(") || strings.Contains(css, "@import") || strings.Contains(css, "@font-face") {
		t.Error("the style sheet loads something")
	}
}

func TestWriteHTML(t *testing.T) {
	dir := t.TempDir()
	evs := []report.Evidence{evidenceAt(300, 301, report.LevelHigh), evidenceAt(110, 111.5, report.LevelMedium)}
	writeFrames(t, dir, evs)
	d := sampleDoc(900, evs)
	// A NaN risk and an infinite score must neither show nor break the page.
	d.Windows[5].Risk = math.NaN()
	d.Windows[6].Scores["temporal"] = math.Inf(1)
	d.Signals["blink"] = report.Summary{Score: math.NaN(), Valid: true}
	before, _ := json.Marshal(d.Windows[7])

	var b bytes.Buffer
	if err := report.WriteHTML(&b, d, dir); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	assertSelfContained(t, page)
	if after, _ := json.Marshal(d.Windows[7]); !bytes.Equal(before, after) || !math.IsNaN(d.Windows[5].Risk) {
		t.Error("WriteHTML changed the document")
	}
	for _, want := range append([]string{d.Input.SHA256, "unmask 1.2.3", "2025-03-04T04:06:07Z", "HIGH", "0.81",
		"/data/interviews/cand <7>.mp4", "+180 ms", "0.74", "input has a variable frame rate",
		`href="w300-f009030-clip.mp4"`, `href="w110-f003345-metrics.json"`, `href="#ev-1"`,
		"not finite numbers"}, report.SignalNames...) {
		if text := html.UnescapeString(page); !strings.Contains(text, want) && !strings.Contains(text, strings.ToLower(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, hostile) || strings.Contains(page, "<b>bold") || strings.Contains(page, "<7>") {
		t.Error("page holds unescaped markup from the analysis")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile reason is not shown escaped")
	}
	for _, bad := range []string{"NaN", "Inf"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// One plot for the risk and one per signal, all on one time scale.
	if got, want := strings.Count(page, "<svg"), 1+len(report.SignalNames); got != want {
		t.Errorf("%d plots, want %d", got, want)
	}
	if got := strings.Count(page, "no valid score in any window"); got != 1 {
		t.Errorf("%d plots say they have no valid score, want 1 (virtual_camera)", got)
	}
	// Gaps: the blink line is broken into separate runs.
	if n := blinkSegments(page); n < 9 {
		t.Errorf("blink line has %d segments, want one per stretch between gaps (9)", n)
	}

	thumbs := regexp.MustCompile(`src="data:image/jpeg;base64,([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(thumbs) != len(evs) {
		t.Fatalf("%d thumbnails, want %d", len(thumbs), len(evs))
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(thumbs[0][1]))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(360, 270) {
		t.Errorf("thumbnail is %v, want 360x270", got)
	}
	if r, _, b, _ := img.At(90, 54).RGBA(); r>>8 < 170 || b>>8 > 90 {
		t.Errorf("the red line is lost in the thumbnail: R %d B %d", r>>8, b>>8)
	}
	if len(page) > 200<<10 {
		t.Errorf("page is %d KiB for 900 windows and 2 cards; want it small", len(page)>>10)
	}
}

// blinkSegments counts the subpaths (M commands) of the blink plot's line.
func blinkSegments(page string) int {
	i := strings.Index(page, `aria-label="blink over time"`)
	if i < 0 {
		return 0
	}
	rest := page[i:]
	rest = rest[:strings.Index(rest, "</svg>")]
	j := strings.Index(rest, `class="line" d="`)
	if j < 0 {
		return 0
	}
	d := rest[j+len(`class="line" d="`):]
	return strings.Count(d[:strings.IndexByte(d, '"')], "M")
}

func TestWriteHTMLEmpty(t *testing.T) {
	for name, d := range map[string]*report.Document{
		"zero":          {},
		"no windows":    {Level: report.LevelLow, Signals: map[string]report.Summary{"blink": {Valid: true, Score: 0.1}}},
		"only evidence": {Evidence: []report.Evidence{evidenceAt(0, 1, report.LevelHigh)}},
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.WriteHTML(&b, d, t.TempDir()); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			assertSelfContained(t, page)
			if !utf8.ValidString(page) || strings.Contains(page, "NaN") {
				t.Error("page is not valid UTF-8 or shows NaN")
			}
			for _, n := range report.SignalNames {
				if !strings.Contains(page, n) {
					t.Errorf("page lacks signal %s", n)
				}
			}
			if len(d.Evidence) == 0 && !strings.Contains(page, "No evidence was saved") {
				t.Error("empty evidence is not said")
			}
			if len(d.Evidence) > 0 && !strings.Contains(page, "frame file not found") {
				t.Error("a missing frame file is not said")
			}
		})
	}
}

// Evidence paths never lead out of the output directory, neither as a
// link nor as a file read for a thumbnail.
func TestWriteHTMLHostilePaths(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	outside := report.Evidence{Plain: "../secret-plain.png", Marked: "../secret-annotated.png"}
	writeFrames(t, dir, []report.Evidence{{Plain: "ok-plain.png", Marked: "ok-annotated.png"}})
	writeFrames(t, root, []report.Evidence{{Plain: "secret-plain.png", Marked: "secret-annotated.png"}})
	d := &report.Document{Evidence: []report.Evidence{
		outside,
		{Marked: "/etc/passwd", Plain: "http://example.com/x.png", Clip: "javascript:alert(1)", Metrics: "//example.com/m.json"},
		{Marked: `..\..\x.png`, Plain: "C:/x.png"},
	}}
	var b bytes.Buffer
	if err := report.WriteHTML(&b, d, dir); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	assertSelfContained(t, page)
	if strings.Contains(page, "data:image/jpeg") {
		t.Error("a thumbnail was read from outside the output directory")
	}
	if n := strings.Count(page, "<a href=\""); n != strings.Count(page, "<a href=\"#ev-") {
		t.Errorf("page has %d links, some to hostile paths", n)
	}
}

func TestWriteJSON(t *testing.T) {
	d := sampleDoc(5, []report.Evidence{evidenceAt(3, 3.5, report.LevelHigh)})
	d.Windows[1].Scores["lighting"] = math.NaN()
	d.Windows[2].Risk = math.Inf(-1)
	d.Tool = "unmask \xff"
	var b bytes.Buffer
	if err := report.WriteJSON(&b, d); err != nil {
		t.Fatal(err)
	}
	var back report.Document
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Generated.Location() != time.UTC || !back.Generated.Equal(d.Generated) {
		t.Errorf("generated %v, want %v in UTC", back.Generated, d.Generated)
	}
	if !strings.Contains(b.String(), `"generated": "2025-03-04T04:06:07Z"`) {
		t.Errorf("generated not in RFC 3339 UTC: %s", b.String()[:200])
	}
	if _, ok := back.Windows[1].Scores["lighting"]; ok || back.Windows[2].Risk != 0 || back.Tool != "unmask \uFFFD" {
		t.Errorf("non-finite values or bad UTF-8 not repaired: %+v, tool %q", back.Windows[1:3], back.Tool)
	}
	if w := back.Warnings[len(back.Warnings)-1]; !strings.Contains(w, "2 values were not finite") {
		t.Errorf("last warning %q, want the repair counted", w)
	}
	if back.Input != d.Input || back.Thresholds != d.Thresholds || len(back.Evidence) != 1 || back.Evidence[0] != d.Evidence[0] ||
		*back.Signals["lipsync"].OffsetMs != 180 {
		t.Error("round trip lost fields")
	}
	// Stable order: the top-level keys as declared.
	keys := regexp.MustCompile(`(?m)^  "([a-z_]+)":`).FindAllStringSubmatch(b.String(), -1)
	var got []string
	for _, k := range keys {
		got = append(got, k[1])
	}
	want := "schema tool generated input risk level thresholds signals windows evidence warnings"
	if strings.Join(got, " ") != want {
		t.Errorf("top-level keys %v, want %s", got, want)
	}
	var again bytes.Buffer
	if err := report.WriteJSON(&again, d); err != nil || again.String() != b.String() {
		t.Error("the same document gave different JSON")
	}
	// Empty collections are [] and {}, never null.
	var e bytes.Buffer
	if err := report.WriteJSON(&e, &report.Document{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.String(), "null") {
		t.Errorf("empty document has nulls:\n%s", e.String())
	}
}

// Write puts both files through the evidence directory: atomic and in the
// manifest.
func TestWrite(t *testing.T) {
	dir := openDir(t)
	evs := []report.Evidence{evidenceAt(1, 2, report.LevelHigh)}
	writeFrames(t, dir.Path(), evs)
	if err := report.Write(dir, sampleDoc(10, evs)); err != nil {
		t.Fatal(err)
	}
	m, err := dir.Finish("unmask test", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "report.html report.json" {
		t.Errorf("manifest lists %v, want the two reports", names)
	}
	if _, err := evidence.Verify(dir.Path()); err != nil {
		t.Error(err)
	}
	if err := report.Write(dir, sampleDoc(1, nil)); err == nil {
		t.Error("a second Write overwrote the report")
	}
}

// TestDemo writes a full evidence set from real footage into
// $UNMASK_REPORT_DEMO, for looking at with a browser.
func TestDemo(t *testing.T) {
	out := os.Getenv("UNMASK_REPORT_DEMO")
	if out == "" {
		t.Skip("set UNMASK_REPORT_DEMO=dir to write a demo report")
	}
	dir, err := evidence.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	reqs := []report.Request{requestAt(t, 100, 100, report.LevelHigh), requestAt(t, 600, 600, report.LevelMedium)}
	evs, err := report.Extract(context.Background(), clips.Path(t, clips.Cap13), reqs, dir, report.ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := sampleDoc(30, evs)
	d.Input.Path, d.Input.Duration = clips.Path(t, clips.Cap13), 30.6
	for i := range d.Evidence {
		d.Evidence[i].Reason = reqs[i].Reason
	}
	if err := report.Write(dir, d); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Finish("unmask demo", nil); err != nil {
		t.Fatal(err)
	}
}
