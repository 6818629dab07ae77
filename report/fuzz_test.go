package report_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/unmaskhq/unmask/report"
)

// fuzzBytes hands out the fuzzer's bytes as the values of a Document.
type fuzzBytes struct{ b []byte }

func (f *fuzzBytes) byte() byte {
	if len(f.b) == 0 {
		return 0
	}
	c := f.b[0]
	f.b = f.b[1:]
	return c
}

func (f *fuzzBytes) n(max int) int { return int(f.byte()) % max }

var oddStrings = []string{"", hostile, "\xff\xfe", "a\x00b", "../../etc/passwd", "javascript:alert(1)", "//evil.example/x",
	"\u202eevil", "é\u0301", strings.Repeat("w", 300), "<svg onload=alert(1)>", `" onmouseover="x`, "]]>", "{{.}}"}

func (f *fuzzBytes) str() string {
	var s string
	if k := f.byte(); k < 64 {
		s = oddStrings[int(k)%len(oddStrings)]
	} else {
		n := f.n(24)
		s = string(f.b[:min(n, len(f.b))])
		f.b = f.b[min(n, len(f.b)):]
	}
	// The page may show a reason that says "NaN"; numbers may not.
	return strings.NewReplacer("NaN", "N_N", "Inf", "I_f").Replace(s)
}

func (f *fuzzBytes) float() float64 {
	switch f.byte() % 10 {
	case 0:
		return math.NaN()
	case 1:
		return math.Inf(1)
	case 2:
		return math.Inf(-1)
	case 3:
		return math.MaxFloat64
	case 4:
		return -math.SmallestNonzeroFloat64
	case 5:
		var b [8]byte
		for i := range b {
			b[i] = f.byte()
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	default:
		return float64(f.byte())/128 - 0.5
	}
}

func (f *fuzzBytes) level() string {
	if k := f.n(5); k < 3 {
		return []string{report.LevelLow, report.LevelMedium, report.LevelHigh}[k]
	}
	return f.str()
}

func (f *fuzzBytes) name() string {
	if k := f.n(10); k < len(report.SignalNames) {
		return report.SignalNames[k]
	}
	return f.str()
}

func fuzzDocument(b []byte) *report.Document {
	f := &fuzzBytes{b}
	d := &report.Document{
		Schema: f.n(4), Tool: f.str(), Generated: time.Unix(int64(f.float()*1e9), 0),
		Input: report.Input{Path: f.str(), SHA256: f.str(), Duration: f.float(), Width: f.n(256) * 16, Height: f.n(256) * 16,
			FPS: f.float(), HasAudio: f.n(2) == 1, Audio: f.str()},
		Risk: f.float(), Level: f.level(), Thresholds: report.Thresholds{Medium: f.float(), High: f.float()},
	}
	if f.n(4) > 0 {
		d.Signals = map[string]report.Summary{}
	}
	for range f.n(9) {
		s := report.Summary{Score: f.float(), Valid: f.n(2) == 1, Reasons: []string{f.str()}, PeakS: f.float()}
		if f.n(2) == 1 {
			o, c := f.float(), f.float()
			s.OffsetMs, s.Confidence = &o, &c
		}
		if d.Signals == nil {
			d.Signals = map[string]report.Summary{}
		}
		d.Signals[f.name()] = s
	}
	t := 0.0
	for range f.n(64) {
		w := report.Window{StartS: t, EndS: t + f.float()*4, Risk: f.float(), Level: f.level(), Scores: map[string]float64{}}
		if f.n(8) == 0 {
			w.StartS, w.EndS = f.float(), f.float()
		}
		t += math.Abs(f.float())
		for range f.n(8) {
			w.Scores[f.name()] = f.float()
		}
		if f.n(2) == 1 {
			w.Reasons = []report.Reason{{Signal: f.name(), Text: f.str(), Weight: f.float()}}
		}
		d.Windows = append(d.Windows, w)
	}
	for range f.n(4) {
		d.Evidence = append(d.Evidence, report.Evidence{Window: f.n(64), TimeS: f.float(), Frame: f.n(256), Level: f.level(), Risk: f.float(),
			Signal: f.name(), Reason: f.str(), Note: f.str(), Plain: f.str(), Marked: f.str(), Clip: f.str(), Metrics: f.str()})
	}
	for range f.n(3) {
		d.Warnings = append(d.Warnings, f.str())
	}
	return d
}

// Any document, however odd, gives a valid UTF-8 page that loads nothing
// from elsewhere and shows no NaN, and valid JSON.
func FuzzWriteHTML(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"))
	f.Add(bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7, 200, 100}, 60))
	f.Add(bytes.Repeat([]byte{9, 64, 5, 255, 3, 77, 1, 8, 2}, 90))
	f.Add([]byte("\xff\x05\x30\x10<script>alert(1)</script>\x02\x09\x09\x40\x50"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		d := fuzzDocument(b)
		var page bytes.Buffer
		if err := report.WriteHTML(&page, d, dir); err != nil {
			t.Fatalf("WriteHTML: %v", err)
		}
		if !utf8.Valid(page.Bytes()) {
			t.Fatal("page is not valid UTF-8")
		}
		for _, bad := range []string{"NaN", "Inf"} {
			if bytes.Contains(page.Bytes(), []byte(bad)) {
				t.Fatalf("page shows %s", bad)
			}
		}
		assertSelfContained(t, page.String())
		var js bytes.Buffer
		if err := report.WriteJSON(&js, d); err != nil {
			t.Fatalf("WriteJSON: %v", err)
		}
		if !json.Valid(js.Bytes()) || !utf8.Valid(js.Bytes()) {
			t.Fatal("WriteJSON wrote invalid JSON")
		}
	})
}
