package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/models"
)

// corpusFile is the part of corpus.json (written by `unmask fixtures`)
// that evaluation reads.
type corpusFile struct {
	Schema int          `json:"schema"`
	Clips  []corpusClip `json:"clips"`
}

type corpusClip struct {
	ID     string `json:"id"`
	Video  string `json:"video"`
	Audio  string `json:"audio"`
	Split  string `json:"split"`
	Family string `json:"family"`
	Label  int    `json:"label"`
	Events []struct {
		StartS float64 `json:"start_s"`
		EndS   float64 `json:"end_s"`
	} `json:"events"`
	Truth struct {
		OffsetMs *float64 `json:"offset_ms"`
	} `json:"truth"`
}

// clipResult is one analysed clip, as saved with --results and read by
// `unmask fit`.
type clipResult struct {
	ID      string             `json:"id"`
	Split   string             `json:"split"`
	Family  string             `json:"family"`
	Label   int                `json:"label"`
	Risk    float64            `json:"risk"`
	Level   string             `json:"level"`
	Signals map[string]float64 `json:"signals"` // persistent peak per valid signal
	// OffsetMs is the median lip-sync offset over confident windows.
	OffsetMs *float64      `json:"offset_ms,omitempty"`
	TruthMs  *float64      `json:"truth_offset_ms,omitempty"`
	Windows  []windowScore `json:"windows"`
	Seconds  float64       `json:"seconds"`
}

// windowScore keeps a window's valid signal scores and whether it overlaps
// a labelled event (always true for whole-clip manipulations).
type windowScore struct {
	EndS    float64            `json:"end_s"`
	InEvent bool               `json:"in_event"`
	Scores  map[string]float64 `json:"scores"`
}

type evalOpts struct {
	corpus  string
	split   string
	jobs    int
	results string
	asJSON  bool
	quiet   bool
}

func parseEval(name string, args []string, stderr io.Writer) (evalOpts, error) {
	o := evalOpts{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.split, "split", "test", "which split: test (never tuned on), tune, or all")
	fs.IntVar(&o.jobs, "jobs", 1, "clips analysed at once")
	fs.StringVar(&o.results, "results", "", "also write per-clip results as JSON lines to this file")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object on stdout")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on stderr")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return o, err
	}
	if len(rest) != 1 {
		return o, fmt.Errorf("%s needs exactly one CORPUS directory, got %d", name, len(rest))
	}
	if o.split != "test" && o.split != "tune" && o.split != "all" {
		return o, fmt.Errorf("--split must be test, tune or all, not %q", o.split)
	}
	if o.jobs < 1 || o.jobs > 8 {
		return o, fmt.Errorf("--jobs must be 1..8")
	}
	o.corpus = rest[0]
	return o, nil
}

// readCorpus loads corpus.json and checks that every file it names is
// inside the corpus directory.
func readCorpus(dir string) (*corpusFile, error) {
	b, err := os.ReadFile(filepath.Join(dir, "corpus.json"))
	if err != nil {
		return nil, fmt.Errorf("corpus: %w (create one with `unmask fixtures DIR`)", err)
	}
	var c corpusFile
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("corpus: corpus.json: %w", err)
	}
	if c.Schema != 1 {
		return nil, fmt.Errorf("corpus: schema %d, want 1", c.Schema)
	}
	for _, cl := range c.Clips {
		for _, p := range []string{cl.Video, cl.Audio} {
			if p != "" && (filepath.IsAbs(p) || !filepath.IsLocal(p)) {
				return nil, fmt.Errorf("corpus: clip %s names %q outside the corpus", cl.ID, p)
			}
		}
		if cl.Label != 0 && cl.Label != 1 {
			return nil, fmt.Errorf("corpus: clip %s has label %d", cl.ID, cl.Label)
		}
	}
	return &c, nil
}

// evaluate analyses every clip of the split with the given fusion
// parameters.
func evaluate(ctx context.Context, o evalOpts, params fuse.Params, stderr io.Writer) ([]clipResult, error) {
	c, err := readCorpus(o.corpus)
	if err != nil {
		return nil, fail(exitInput, err)
	}
	var clips []corpusClip
	for _, cl := range c.Clips {
		if o.split == "all" || cl.Split == o.split {
			clips = append(clips, cl)
		}
	}
	if len(clips) == 0 {
		return nil, fail(exitInput, fmt.Errorf("corpus %s has no clips in split %q", o.corpus, o.split))
	}
	fm, err := face.LoadModels(models.Default())
	if err != nil {
		return nil, fail(exitModels, err)
	}
	defer fm.Close()

	results := make([]clipResult, len(clips))
	errs := make([]error, len(clips))
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, o.jobs)
	var wg sync.WaitGroup
	for i, cl := range clips {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			results[i], errs[i] = evalClip(ctx, o.corpus, cl, fm, params)
			mu.Lock()
			done++
			if !o.quiet && errs[i] == nil {
				r := results[i]
				fmt.Fprintf(stderr, "[%d/%d] %-40s label %d  risk %.2f %-6s (%.1f s)\n", done, len(clips), cl.ID, cl.Label, r.Risk, r.Level, r.Seconds)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if o.results != "" {
		if err := writeResults(o.results, results); err != nil {
			return nil, fail(exitOutput, err)
		}
	}
	return results, nil
}

func evalClip(ctx context.Context, dir string, cl corpusClip, fm *face.Models, params fuse.Params) (clipResult, error) {
	t0 := time.Now()
	src, err := video.OpenFile(ctx, filepath.Join(dir, cl.Video))
	if err != nil {
		return clipResult{}, fail(exitInput, fmt.Errorf("clip %s: %w", cl.ID, err))
	}
	defer src.Close()
	wav := ""
	if cl.Audio != "" {
		wav = filepath.Join(dir, cl.Audio)
	}
	res, err := runEngine(ctx, src, fm, engineOpts{audio: wav, detector: "hog", params: params})
	if err != nil {
		return clipResult{}, fmt.Errorf("clip %s: %w", cl.ID, err)
	}
	r := clipResult{ID: cl.ID, Split: cl.Split, Family: cl.Family, Label: cl.Label,
		Risk: res.summary.Risk, Level: string(res.summary.Level), Signals: map[string]float64{},
		TruthMs: cl.Truth.OffsetMs, Seconds: time.Since(t0).Seconds()}
	for name, pk := range res.summary.Signals {
		if pk.Valid {
			r.Signals[name] = pk.Score
		}
	}
	if off, ok := lipsyncOffset(res.windows); ok {
		r.OffsetMs = &off
	}
	for _, w := range res.windows {
		ws := windowScore{EndS: w.End.Seconds(), Scores: map[string]float64{}, InEvent: len(cl.Events) == 0}
		for _, e := range cl.Events {
			if w.Start.Seconds() < e.EndS && w.End.Seconds() > e.StartS {
				ws.InEvent = true
			}
		}
		for _, s := range w.Scores {
			if s.Valid {
				ws.Scores[s.Signal] = s.Value
			}
		}
		r.Windows = append(r.Windows, ws)
	}
	return r, nil
}

// lipsyncOffset is the median offset over windows where lip-sync found a
// confident peak.
func lipsyncOffset(ws []fuse.Window) (float64, bool) {
	var offs []float64
	for _, w := range ws {
		for _, s := range w.Scores {
			if s.Signal == "lipsync" && s.Valid && s.Metrics["confident"] == 1 {
				offs = append(offs, s.Metrics["offset_ms"])
			}
		}
	}
	if len(offs) == 0 {
		return 0, false
	}
	sort.Float64s(offs)
	return offs[len(offs)/2], true
}

func writeResults(path string, rs []clipResult) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readResults(path string) ([]clipResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rs []clipResult
	dec := json.NewDecoder(f)
	for {
		var r clipResult
		if err := dec.Decode(&r); err == io.EOF {
			return rs, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rs = append(rs, r)
	}
}

// evalReport is what `unmask eval` prints.
type evalReport struct {
	Split    string         `json:"split"`
	Clips    int            `json:"clips"`
	Families []familyReport `json:"families"`
	// HighOnReal counts "high" verdicts on unmodified clips; HighOnBenign
	// on benign variants (real light change, real hand, recompression,
	// natural audio offset).
	HighOnReal   rate `json:"high_on_real"`
	HighOnBenign rate `json:"high_on_benign"`
	MediumOnReal rate `json:"medium_or_high_on_real"`
	// LipsyncErrorMs is the median absolute error of the offset found on
	// shifted clips; LipsyncFound how many of them gave a confident offset.
	LipsyncErrorMs *float64 `json:"lipsync_median_error_ms"`
	LipsyncFound   rate     `json:"lipsync_found"`
	SecondsPerClip float64  `json:"seconds_per_clip"`
}

type rate struct {
	N  int `json:"n"`
	Of int `json:"of"`
}

type familyReport struct {
	Family    string             `json:"family"`
	Positives int                `json:"positives"`
	Negatives int                `json:"negatives"`
	AUC       float64            `json:"auc"`
	SignalAUC map[string]float64 `json:"signal_auc"`
	// Detected counts positives at medium or above.
	Detected rate `json:"medium_or_high"`
}

// summariseEval computes per-family ROC AUC of the clip risk against all
// negatives of the split, and the verdict rates.
func summariseEval(split string, rs []clipResult) evalReport {
	rep := evalReport{Split: split, Clips: len(rs)}
	var neg []clipResult
	fams := map[string][]clipResult{}
	secs := 0.0
	for _, r := range rs {
		secs += r.Seconds
		if r.Label == 0 {
			neg = append(neg, r)
			target := &rep.HighOnBenign
			if r.Family == "real" {
				target = &rep.HighOnReal
				rep.MediumOnReal.Of++
				if r.Level != string(fuse.Low) {
					rep.MediumOnReal.N++
				}
			}
			target.Of++
			if r.Level == string(fuse.High) {
				target.N++
			}
			continue
		}
		fams[r.Family] = append(fams[r.Family], r)
	}
	if len(rs) > 0 {
		rep.SecondsPerClip = secs / float64(len(rs))
	}
	names := make([]string, 0, len(fams))
	for f := range fams {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		pos := fams[f]
		fr := familyReport{Family: f, Positives: len(pos), Negatives: len(neg), SignalAUC: map[string]float64{}}
		fr.AUC = auc(scoresOf(pos, func(r clipResult) float64 { return r.Risk }), scoresOf(neg, func(r clipResult) float64 { return r.Risk }))
		if math.IsNaN(fr.AUC) {
			fr.AUC = 0
		}
		for _, s := range signalNames {
			v := auc(scoresOf(pos, func(r clipResult) float64 { return r.Signals[s] }), scoresOf(neg, func(r clipResult) float64 { return r.Signals[s] }))
			if !math.IsNaN(v) {
				fr.SignalAUC[s] = v
			}
		}
		for _, r := range pos {
			fr.Detected.Of++
			if r.Level != string(fuse.Low) {
				fr.Detected.N++
			}
		}
		rep.Families = append(rep.Families, fr)
	}
	var errsMs []float64
	for _, r := range fams["lipsync"] {
		if r.TruthMs == nil {
			continue
		}
		rep.LipsyncFound.Of++
		if r.OffsetMs != nil {
			rep.LipsyncFound.N++
			errsMs = append(errsMs, math.Abs(*r.OffsetMs-*r.TruthMs))
		} else {
			errsMs = append(errsMs, math.Inf(1)) // not found counts as a miss
		}
	}
	if len(errsMs) > 0 {
		sort.Float64s(errsMs)
		m := errsMs[len(errsMs)/2]
		if !math.IsInf(m, 0) {
			rep.LipsyncErrorMs = &m
		}
	}
	return rep
}

func scoresOf(rs []clipResult, f func(clipResult) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = f(r)
	}
	return out
}

// auc is the ROC area: the chance that a random positive scores above a
// random negative, ties counting half (the Mann-Whitney U statistic).
func auc(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return math.NaN()
	}
	var u float64
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				u++
			case p == n:
				u += 0.5
			}
		}
	}
	return u / float64(len(pos)*len(neg))
}

func printEval(w io.Writer, rep evalReport) {
	fmt.Fprintf(w, "split %s: %d clips (%.1f s each to analyse)\n\n", rep.Split, rep.Clips, rep.SecondsPerClip)
	fmt.Fprintf(w, "%-16s %4s %4s %6s %9s   per-signal AUC\n", "family", "pos", "neg", "AUC", "detected")
	for _, f := range rep.Families {
		fmt.Fprintf(w, "%-16s %4d %4d %6.3f %4d/%-4d  ", f.Family, f.Positives, f.Negatives, f.AUC, f.Detected.N, f.Detected.Of)
		for _, s := range signalNames {
			if v, ok := f.SignalAUC[s]; ok {
				fmt.Fprintf(w, " %s %.2f", s, v)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nhigh on real clips      %d/%d\n", rep.HighOnReal.N, rep.HighOnReal.Of)
	fmt.Fprintf(w, "medium+ on real clips   %d/%d\n", rep.MediumOnReal.N, rep.MediumOnReal.Of)
	fmt.Fprintf(w, "high on benign variants %d/%d\n", rep.HighOnBenign.N, rep.HighOnBenign.Of)
	if rep.LipsyncErrorMs != nil {
		fmt.Fprintf(w, "lip-sync offset error   median %.0f ms (%d/%d shifted clips with a confident offset)\n", *rep.LipsyncErrorMs, rep.LipsyncFound.N, rep.LipsyncFound.Of)
	} else {
		fmt.Fprintf(w, "lip-sync offset error   none found (%d/%d)\n", rep.LipsyncFound.N, rep.LipsyncFound.Of)
	}
}

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseEval("eval", args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "unmask eval: %v\n", err)
		}
		return exitUsage
	}
	params, err := loadFusion(models.Default())
	if err != nil {
		fmt.Fprintf(stderr, "unmask eval: %v\n", err)
		return exitModels
	}
	rs, err := evaluate(ctx, o, params, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "unmask eval: %v\n", err)
		return exitCode(err)
	}
	rep := summariseEval(o.split, rs)
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return exitInternal
		}
		return exitOK
	}
	printEval(stdout, rep)
	return exitOK
}
