package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/models"
)

// Fitting rule (docs/DETECTION.md). A window's signal score counts as a
// hit at 0.5 or more. For each signal, over the tuning split,
//
//	w = LR / (1 + LR),  LR = P(hit | manipulated window) / P(hit | real window)
//
// with both rates Laplace-smoothed (+0.5 / +1), capped at 0.98: the
// posterior that a full score means manipulation at even prior odds. A
// signal with fewer than 3 hits on manipulated windows keeps its previous
// weight (the corpus says nothing about it). The thresholds then follow
// the unmodified and benign clips: medium sits above 90% of their clip
// risks and high above all of them, with margins, within [0.3, 0.6] and
// [0.6, 0.9]; a single signal with a weight at or above high (lip-sync,
// whose offsets are unambiguous) raises the level to high by itself.
const (
	hitScore  = 0.5
	maxWeight = 0.98
	minHits   = 3
)

func fitParams(prev fuse.Params, rs []clipResult) (fuse.Params, []string) {
	p := fuse.Params{Schema: 1, Weights: map[string]float64{}}
	var notes []string
	type count struct{ hitP, nP, hitN, nN int }
	counts := map[string]*count{}
	for _, name := range signalNames {
		counts[name] = &count{}
	}
	for _, r := range rs {
		for _, w := range r.Windows {
			if r.Label == 1 && !w.InEvent {
				continue
			}
			for name, v := range w.Scores {
				c, ok := counts[name]
				if !ok {
					continue
				}
				hit := v >= hitScore
				if r.Label == 1 {
					c.nP++
					if hit {
						c.hitP++
					}
				} else {
					c.nN++
					if hit {
						c.hitN++
					}
				}
			}
		}
	}
	for _, name := range signalNames {
		c := counts[name]
		if c.hitP < minHits {
			p.Weights[name] = prev.Weights[name]
			notes = append(notes, fmt.Sprintf("%-15s kept %.3f (only %d hits on %d manipulated windows)", name, prev.Weights[name], c.hitP, c.nP))
			continue
		}
		lr := ((float64(c.hitP) + 0.5) / (float64(c.nP) + 1)) / ((float64(c.hitN) + 0.5) / (float64(c.nN) + 1))
		w := math.Min(maxWeight, lr/(1+lr))
		p.Weights[name] = round(w, 3)
		notes = append(notes, fmt.Sprintf("%-15s %.3f (hits %d/%d manipulated, %d/%d real windows, LR %.1f)", name, w, c.hitP, c.nP, c.hitN, c.nN, lr))
	}
	// Clip risks of the negatives under the new weights.
	var neg []float64
	for _, r := range rs {
		if r.Label == 0 {
			neg = append(neg, clipRisk(p, r))
		}
	}
	sort.Float64s(neg)
	p.Medium, p.High = 0.3, 0.6
	if len(neg) > 0 {
		q90 := neg[int(0.9*float64(len(neg)-1))]
		p.Medium = round(math.Max(0.3, math.Min(0.6, q90+0.05)), 3)
		p.High = round(math.Max(0.6, math.Min(0.9, neg[len(neg)-1]+0.1)), 3)
		if p.High <= p.Medium {
			p.High = round(math.Min(0.9, p.Medium+0.1), 3)
		}
	}
	notes = append(notes, fmt.Sprintf("thresholds medium %.3f, high %.3f from %d unmodified and benign clips (max risk %.3f)", p.Medium, p.High, len(neg), last(neg)))
	return p, notes
}

func last(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	return v[len(v)-1]
}

// clipRisk re-fuses a clip's saved window scores under p and returns its
// persistent peak risk.
func clipRisk(p fuse.Params, r clipResult) float64 {
	risks := make([]float64, len(r.Windows))
	for i, w := range r.Windows {
		var scores []signal.Score
		for name, v := range w.Scores {
			scores = append(scores, signal.Score{Signal: name, Value: v, Valid: true})
		}
		risks[i] = fuse.Fuse(p, scores).Risk
	}
	best := 0.0
	for _, v := range fuse.Persistent(risks) {
		best = math.Max(best, v)
	}
	return best
}

func cmdFit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "fusion.json", "where to write the fitted parameters")
	from := fs.String("from-results", "", "fit on saved `unmask eval --results` lines instead of analysing CORPUS")
	jobs := fs.Int("jobs", 1, "clips analysed at once")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	prev, err := loadFusion(models.Default())
	if err != nil {
		fmt.Fprintf(stderr, "unmask fit: %v\n", err)
		return exitModels
	}
	var rs []clipResult
	switch {
	case *from != "":
		if rs, err = readResults(*from); err != nil {
			fmt.Fprintf(stderr, "unmask fit: %v\n", err)
			return exitInput
		}
		var tune []clipResult
		for _, r := range rs {
			if r.Split == "tune" {
				tune = append(tune, r)
			}
		}
		rs = tune
	case fs.NArg() == 1:
		o := evalOpts{corpus: fs.Arg(0), split: "tune", jobs: *jobs, quiet: *quiet}
		if rs, err = evaluate(ctx, o, prev, stderr); err != nil {
			fmt.Fprintf(stderr, "unmask fit: %v\n", err)
			return exitCode(err)
		}
	default:
		fmt.Fprintln(stderr, "unmask fit: give one CORPUS directory or --from-results FILE")
		return exitUsage
	}
	if len(rs) == 0 {
		fmt.Fprintln(stderr, "unmask fit: no clips of the tune split")
		return exitInput
	}
	p, notes := fitParams(prev, rs)
	p.FittedOn = fmt.Sprintf("tune split, %d clips", len(rs))
	if err := p.Check(); err != nil {
		fmt.Fprintf(stderr, "unmask fit: %v\n", err)
		return exitInternal
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	b = append(b, '\n')
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(stderr, "unmask fit: %s exists; choose another --out (parameters are never overwritten)\n", *out)
		return exitOutput
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintf(stderr, "unmask fit: %v\n", err)
		return exitOutput
	}
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}
	fmt.Fprintf(stdout, "wrote %s: size %d, sha256 %x (to ship it, copy it to models/bundled/fusion.json and update models/known.go)\n", *out, len(b), sha256.Sum256(b))
	return exitOK
}
