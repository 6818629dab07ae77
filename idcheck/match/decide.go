package match

import (
	"fmt"
	"math"
	"sort"

	"github.com/unmaskhq/unmask/analysis/embed"
)

// Threshold is the median descriptor distance under which a document
// portrait and the live face are taken for the same person. It was chosen
// from the pairs evaluation (TestPairs: 21 people, portraits printed,
// filmed at 45-90 px and rectified) near the equal error rate: at 0.57
// 1.2% of different-person pairs are accepted and 2.4% of same-person
// pairs rejected; at dlib's 0.6 the false accepts rise to 2.9%.
// docs/IDCHECK.md has the table.
const Threshold = 0.57

// Margin is the band either side of the threshold in which a decision is
// reported as not confident: the pairs evaluation has both same-person
// and different-person pairs there, so the interviewer is asked for a
// closer, steadier view instead of being given a verdict.
const Margin = 0.04

// Decision is the outcome of comparing a portrait with the live face.
type Decision struct {
	// Distance is the median distance between the portrait and the live
	// descriptors; Min and Max bound it.
	Distance, Min, Max float64
	// Similarity maps Distance to 0..1 for display: 1 identical, 0.5 at
	// the threshold, 0 at twice the threshold and beyond.
	Similarity float64
	Frames     int
	Threshold  float64
	Match      bool
	// Confident is false when Distance is within Margin of Threshold.
	Confident bool
}

// Decide compares portrait with the live descriptors at threshold (use
// Threshold unless an evaluation says otherwise).
func Decide(portrait []float32, live [][]float32, threshold float64) (Decision, error) {
	if len(live) == 0 {
		return Decision{}, ErrNoLive
	}
	if len(portrait) != embed.Size {
		return Decision{}, fmt.Errorf("match: portrait descriptor has %d values, want %d", len(portrait), embed.Size)
	}
	ds := make([]float64, 0, len(live))
	for _, l := range live {
		if len(l) != embed.Size {
			return Decision{}, fmt.Errorf("match: live descriptor has %d values, want %d", len(l), embed.Size)
		}
		d := embed.Distance(portrait, l)
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return Decision{}, fmt.Errorf("match: descriptor distance is not finite")
		}
		ds = append(ds, d)
	}
	sort.Float64s(ds)
	med := ds[len(ds)/2]
	if len(ds)%2 == 0 {
		med = (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
	}
	return Decision{
		Distance: med, Min: ds[0], Max: ds[len(ds)-1],
		Similarity: math.Max(0, math.Min(1, 1-med/(2*threshold))),
		Frames:     len(ds), Threshold: threshold, Match: med < threshold,
		Confident: math.Abs(med-threshold) >= Margin,
	}, nil
}
