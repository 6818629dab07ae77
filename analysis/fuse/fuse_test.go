package fuse_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/models"
)

var params = fuse.Params{Schema: 1, Medium: 0.4, High: 0.75,
	Weights: map[string]float64{"lipsync": 0.98, "temporal": 0.6, "blink": 0.3, "boundary": 0.5}}

func sc(name string, v float64, valid bool, reason string) signal.Score {
	return signal.Score{Signal: name, Value: v, Valid: valid, Reasons: []string{reason}, End: 2 * time.Second}
}

func TestFuse(t *testing.T) {
	tests := []struct {
		name   string
		scores []signal.Score
		risk   float64
		level  fuse.Level
		first  string
	}{
		{"nothing", nil, 0, fuse.Low, ""},
		{"a 400 ms lip-sync offset alone is high", []signal.Score{sc("lipsync", 1, true, "late"), sc("temporal", 0, true, "")}, 0.98, fuse.High, "lipsync"},
		{"invalid signals add nothing", []signal.Score{sc("lipsync", 1, false, "no audio"), sc("blink", 0.5, true, "rare")}, 0.15, fuse.Low, "blink"},
		{"weak cues add up", []signal.Score{sc("temporal", 0.5, true, "jitter"), sc("boundary", 0.6, true, "seam"), sc("blink", 0.5, true, "rare")}, 1 - 0.7*0.7*0.85, fuse.Medium, "temporal"},
		{"unknown signal has no weight", []signal.Score{sc("mystery", 1, true, "?")}, 0, fuse.Low, ""},
		{"NaN is ignored", []signal.Score{sc("temporal", math.NaN(), true, "")}, 0, fuse.Low, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := fuse.Fuse(params, tt.scores)
			if math.Abs(w.Risk-tt.risk) > 1e-9 || w.Level != tt.level {
				t.Fatalf("risk %.4f level %s, want %.4f %s", w.Risk, w.Level, tt.risk, tt.level)
			}
			if tt.first == "" {
				if len(w.Reasons) != 0 {
					t.Fatalf("reasons %v, want none", w.Reasons)
				}
				return
			}
			if w.Reasons[0].Signal != tt.first {
				t.Fatalf("first reason %v, want %s", w.Reasons[0], tt.first)
			}
			sum := 0.0
			for i, r := range w.Reasons {
				sum += r.Weight
				if i > 0 && r.Weight > w.Reasons[i-1].Weight {
					t.Fatalf("reasons not ranked: %v", w.Reasons)
				}
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("shares sum to %v", sum)
			}
		})
	}
}

func TestParseParams(t *testing.T) {
	bad := map[string]string{
		"not json":            `{`,
		"wrong schema":        `{"schema":2,"weights":{"a":0.5},"medium":0.3,"high":0.6}`,
		"thresholds reversed": `{"schema":1,"weights":{"a":0.5},"medium":0.7,"high":0.6}`,
		"weight above one":    `{"schema":1,"weights":{"a":1.5},"medium":0.3,"high":0.6}`,
		"no weights":          `{"schema":1,"weights":{},"medium":0.3,"high":0.6}`,
	}
	for name, js := range bad {
		if _, err := fuse.ParseParams([]byte(js)); !errors.Is(err, fuse.ErrParams) {
			t.Errorf("%s: err %v, want ErrParams", name, err)
		}
	}
	// The shipped parameters parse, and a full lip-sync score reaches high
	// on its own, as the product promises.
	b, err := models.Default().Bytes(models.Fusion)
	if err != nil {
		t.Fatal(err)
	}
	p, err := fuse.ParseParams(b)
	if err != nil {
		t.Fatal(err)
	}
	if w := fuse.Fuse(p, []signal.Score{sc("lipsync", 1, true, "")}); w.Level != fuse.High {
		t.Errorf("shipped parameters: a full lip-sync score gives %s (risk %.2f, high at %.2f)", w.Level, w.Risk, p.High)
	}
}

func TestPersistent(t *testing.T) {
	tests := []struct{ in, want []float64 }{
		{[]float64{0, 1, 0}, []float64{0, 0, 0}},
		{[]float64{0, 1, 0.8, 0}, []float64{0, 0.8, 0.8, 0}},
		{[]float64{0.5}, []float64{0.5}},
		{nil, []float64{}},
	}
	for _, tt := range tests {
		got := fuse.Persistent(tt.in)
		if len(got) != len(tt.want) {
			t.Fatalf("%v: got %v", tt.in, got)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Persistent(%v) = %v, want %v", tt.in, got, tt.want)
				break
			}
		}
	}
}

// fixed scores a set value whenever asked, and counts observations.
type fixed struct {
	name string
	v    func(end time.Duration) float64
	seen int
}

func (f *fixed) Name() string                         { return f.name }
func (f *fixed) Observe(r analysis.FrameResult) error { f.seen++; return nil }
func (f *fixed) Score(end time.Duration) signal.Score {
	return signal.Score{Signal: f.name, End: end, Value: f.v(end), Valid: true, Reasons: []string{"r"}}
}

func TestTimeline(t *testing.T) {
	spike := &fixed{name: "temporal", v: func(end time.Duration) float64 {
		if end == 5*time.Second {
			return 1 // one window only: not persistent
		}
		return 0
	}}
	lip := &fixed{name: "lipsync", v: func(end time.Duration) float64 {
		if end >= 7*time.Second && end <= 8*time.Second {
			return 1
		}
		return 0
	}}
	tl := fuse.NewTimeline(params, spike, lip)
	var got []fuse.Window
	tl.OnWindow = func(w fuse.Window) { got = append(got, w) }
	for i := 0; i <= 250; i++ { // 10 s at 25 fps
		tl.Observe(analysis.FrameResult{Index: i, Time: time.Duration(i) * 40 * time.Millisecond})
	}
	tl.Finish()
	ends := []time.Duration{}
	for _, w := range tl.Windows() {
		ends = append(ends, w.End)
	}
	if len(got) != 9 || ends[0] != 2*time.Second || ends[len(ends)-1] != 10*time.Second || spike.seen != 251 {
		t.Fatalf("window ends %v (callback %d), observed %d", ends, len(got), spike.seen)
	}
	if w := tl.Windows()[5]; w.EndFrame != 175 || w.Start != 5*time.Second {
		t.Errorf("window ending 7 s: start %v, end frame %d", w.Start, w.EndFrame)
	}
	s := fuse.Summarise(params, tl.Windows(), []string{"temporal", "lipsync", "blink"})
	if s.Level != fuse.High || tl.Windows()[s.Peak].End != 7*time.Second {
		t.Errorf("summary %s peak at window %d, want high at 7 s", s.Level, s.Peak)
	}
	if pk := s.Signals["temporal"]; pk.Score != 0 || !pk.Valid {
		t.Errorf("a one-window spike survived smoothing: %+v", pk)
	}
	if pk := s.Signals["blink"]; pk.Valid || pk.Window != -1 {
		t.Errorf("a signal never run: %+v", pk)
	}
}

// FuzzParseParams: any bytes either parse into parameters that pass Check
// and fuse without NaN, or fail with ErrParams.
func FuzzParseParams(f *testing.F) {
	b, _ := models.Default().Bytes(models.Fusion)
	f.Add(b)
	f.Add([]byte(`{"schema":1,"weights":{"a":0.5},"medium":0.3,"high":0.6}`))
	f.Add([]byte(`{"schema":1,"weights":{"a":NaN},"medium":0.3,"high":0.6}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := fuse.ParseParams(b)
		if err != nil {
			if !errors.Is(err, fuse.ErrParams) {
				t.Fatalf("error %v does not wrap ErrParams", err)
			}
			return
		}
		var scores []signal.Score
		for name := range p.Weights {
			scores = append(scores, signal.Score{Signal: name, Value: 1, Valid: true})
		}
		w := fuse.Fuse(p, scores)
		if math.IsNaN(w.Risk) || w.Risk < 0 || w.Risk > 1 {
			t.Fatalf("risk %v from %s", w.Risk, b)
		}
	})
}
