package embed_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// distances collects pairwise descriptor distances.
type distances []float64

func (d distances) quantile(q float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(math.Round(q*float64(len(s)-1)))]
}

func (d distances) fracBelow(x float64) float64 {
	n := 0
	for _, v := range d {
		if v < x {
			n++
		}
	}
	return float64(n) / float64(len(d))
}

func (d distances) String() string {
	return fmt.Sprintf("n=%4d min %.3f p05 %.3f median %.3f p95 %.3f max %.3f",
		len(d), d.quantile(0), d.quantile(0.05), d.quantile(0.5), d.quantile(0.95), d.quantile(1))
}

// pairs appends the distances between a and b (each unordered pair once
// when a and b are the same set); normalised compares unit vectors.
func pairs(out *distances, a, b []described, same, normalised bool) {
	vec := func(d described) []float32 {
		if !normalised {
			return d.desc
		}
		v := slices.Clone(d.desc)
		embed.Normalize(v)
		return v
	}
	for i := range a {
		j0 := 0
		if same {
			j0 = i + 1
		}
		for j := j0; j < len(b); j++ {
			*out = append(*out, embed.Distance(vec(a[i]), vec(b[j])))
		}
	}
}

// TestIdentityOnRealClips is the proof that the conversion and the
// alignment are right: with wrong weights, layout, normalisation or chips
// the distances are noise. franck.mp4 shows one man; cap12 and cap13 show
// another man, the same in both clips. dlib's threshold (0.6) must
// separate them.
func TestIdentityOnRealClips(t *testing.T) {
	d := descriptors(t)
	franck, cap12, cap13 := d[clips.Franck], d[clips.Cap12], d[clips.Cap13]
	for name, fs := range map[string][]described{"franck": franck, "cap12": cap12, "cap13": cap13} {
		if len(fs) < 25 {
			t.Fatalf("%s: %d faces sampled, want at least 25", name, len(fs))
		}
	}
	measure := func(normalised bool) (sameFranck, sameCap, acrossCap, different distances) {
		pairs(&sameFranck, franck, franck, true, normalised)
		pairs(&sameCap, cap12, cap12, true, normalised)
		pairs(&sameCap, cap13, cap13, true, normalised)
		pairs(&acrossCap, cap12, cap13, false, normalised)
		sameCap = append(sameCap, acrossCap...)
		pairs(&different, franck, cap12, false, normalised)
		pairs(&different, franck, cap13, false, normalised)
		return
	}
	sameFranck, sameCap, acrossCap, different := measure(false)
	same := append(slices.Clone(sameFranck), sameCap...)
	var norms distances
	for _, c := range d {
		for _, f := range c {
			norms = append(norms, f.norm)
		}
	}
	t.Logf("faces: franck %d, cap12 %d, cap13 %d", len(franck), len(cap12), len(cap13))
	t.Logf("descriptor length:            %v", norms)
	t.Logf("same person, franck:          %v", sameFranck)
	t.Logf("same person, cap12+cap13:     %v", sameCap)
	t.Logf("  of which across the clips:  %v", acrossCap)
	t.Logf("different people:             %v", different)
	margin := different.quantile(0) - same.quantile(1)
	t.Logf("margin: min different %.3f − max same %.3f = %.3f; medians %.3f (same) vs %.3f (different)",
		different.quantile(0), same.quantile(1), margin, same.quantile(0.5), different.quantile(0.5))
	nf, nc, _, nd := measure(true)
	t.Logf("L2-normalised, for comparison: same franck median %.3f max %.3f; same cap median %.3f max %.3f; different min %.3f median %.3f",
		nf.quantile(0.5), nf.quantile(1), nc.quantile(0.5), nc.quantile(1), nd.quantile(0), nd.quantile(0.5))

	if got := same.fracBelow(embed.SamePerson); got < 0.95 {
		t.Errorf("same-person pairs under %.1f: %.1f%%, want at least 95%%", embed.SamePerson, 100*got)
	}
	if got := acrossCap.fracBelow(embed.SamePerson); got < 0.95 {
		t.Errorf("cap12 against cap13 under %.1f: %.1f%%, want at least 95%%", embed.SamePerson, 100*got)
	}
	if got := 1 - different.fracBelow(embed.SamePerson+1e-9); got < 1 {
		t.Errorf("different-people pairs over %.1f: %.2f%%, want all", embed.SamePerson, 100*got)
	}
	if margin <= 0 {
		t.Errorf("margin %.3f: some same-person pair is farther apart than some different-people pair", margin)
	}
}
