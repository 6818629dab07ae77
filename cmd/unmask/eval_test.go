package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/testdata/clips"
)

// TestEvalUntouchedSplit generates the test split of the corpus (never
// tuned on) and evaluates it with the shipped detectors and fusion
// parameters, as `unmask fixtures` and `unmask eval` do for users.
//
// What it holds the product to: no "high" verdict on an unmodified clip;
// lip-sync offsets found within 40 ms (median) on shifted clips; and every
// family separated from the real and benign clips well above chance. The
// issue's target of ROC AUC ≥ 0.95 for every family is not yet met on this
// split (docs/DETECTION.md has the table); the floor below guards against
// regressions while the weaker families are improved.
func TestEvalUntouchedSplit(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses 74 clips")
	}
	dir, err := clips.Dir()
	if err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(t.TempDir(), "corpus")
	if r := unmask(t, nil, "fixtures", corpus, "--split", "test", "--clips", dir, "--quiet"); r.code != 0 {
		t.Fatalf("fixtures: exit %d\n%s", r.code, r.stderr)
	}
	r := unmask(t, nil, "eval", corpus, "--split", "test", "--jobs", "2", "--json", "--quiet")
	if r.code != 0 {
		t.Fatalf("eval: exit %d\n%s", r.code, r.stderr)
	}
	var rep evalReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("eval output: %v\n%s", err, r.stdout)
	}
	b, _ := json.MarshalIndent(rep, "", "  ")
	t.Logf("untouched split:\n%s", b)
	if rep.HighOnReal.Of == 0 || rep.HighOnReal.N != 0 {
		t.Errorf("high verdicts on unmodified clips: %d of %d", rep.HighOnReal.N, rep.HighOnReal.Of)
	}
	if rep.LipsyncErrorMs == nil || *rep.LipsyncErrorMs > 40 {
		t.Errorf("lip-sync median offset error %v ms, want ≤ 40", rep.LipsyncErrorMs)
	}
	if len(rep.Families) != 6 {
		t.Fatalf("%d families evaluated, want 6", len(rep.Families))
	}
	const floor = 0.6
	for _, f := range rep.Families {
		if f.Positives < 8 || math.IsNaN(f.AUC) || f.AUC < floor {
			t.Errorf("%s: AUC %.3f over %d positives, want ≥ %.2f", f.Family, f.AUC, f.Positives, floor)
		}
	}
}

// TestRealClipsWholeLength: no unmodified real clip, analysed whole, is
// judged high.
func TestRealClipsWholeLength(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 284 s of video")
	}
	for _, c := range []string{clips.Franck, clips.Cap12, clips.Cap13} {
		r := unmask(t, nil, "analyze", clips.Path(t, c), "--json", "--quiet")
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", c, r.code, r.stderr)
		}
		v := oneJSON(t, r.stdout)
		contract(t, v)
		t.Logf("%s: risk %.3f level %s, %.1fx real time", c, v["risk"], v["level"], v["realtime_factor"])
		if v["level"] == "high" {
			t.Errorf("%s: level high on an unmodified clip", c)
		}
	}
}
