package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/internal/fixture"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func parseFixtures(args []string, stderr io.Writer) (fixture.Config, bool, error) {
	var cfg fixture.Config
	var split string
	var quiet bool
	fs := flag.NewFlagSet("fixtures", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: unmask fixtures OUT [flags]\n\nGenerate the labelled evaluation corpus (manipulated and real clips, corpus.json)\nfrom the real test clips into OUT, which must not hold a finished corpus.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.ClipsDir, "clips", "", "directory of the real clips (default: the test-data cache)")
	fs.StringVar(&split, "split", "all", "tune, test or all")
	fs.Int64Var(&cfg.Seed, "seed", 1, "random seed; the same seed gives the same corpus")
	fs.Float64Var(&cfg.SegmentS, "segment", 10, "segment length in seconds")
	fs.IntVar(&cfg.Limit, "limit", 0, "at most this many clips per split (0: all)")
	fs.BoolVar(&quiet, "quiet", false, "no progress on stderr")
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return cfg, quiet, err
		}
		args = fs.Args()
		if len(args) > 0 {
			rest = append(rest, args[0])
			args = args[1:]
		}
	}
	if len(rest) != 1 {
		return cfg, quiet, fmt.Errorf("fixtures needs exactly one OUT directory, got %d", len(rest))
	}
	cfg.Out = rest[0]
	switch split {
	case "all":
		cfg.Splits = []string{fixture.SplitTune, fixture.SplitTest}
	case fixture.SplitTune, fixture.SplitTest:
		cfg.Splits = []string{split}
	default:
		return cfg, quiet, fmt.Errorf("--split must be tune, test or all, not %q", split)
	}
	if cfg.SegmentS < 1 || cfg.SegmentS > 100 {
		return cfg, quiet, fmt.Errorf("--segment must be 1 to 100 seconds, not %g", cfg.SegmentS)
	}
	if cfg.Limit < 0 {
		return cfg, quiet, fmt.Errorf("--limit must not be negative")
	}
	return cfg, quiet, nil
}

func cmdFixtures(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, quiet, err := parseFixtures(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "unmask fixtures: %v\n\nRun `unmask help` for usage.\n", err)
		}
		return exitUsage
	}
	if cfg.ClipsDir == "" {
		if cfg.ClipsDir, err = clips.Dir(); err != nil {
			fmt.Fprintf(stderr, "unmask: cannot find the test-data cache (%v); run `make testdata` in the repository or pass --clips DIR\n", err)
			return exitInput
		}
	}
	cfg.Tool = "unmask " + version.Version
	if !quiet {
		cfg.Progress = func(p fixture.Progress) {
			fmt.Fprintf(stderr, "[%*d/%d] %-38s label %d  %4d frames  %5.1f s  %4.0f fps\n",
				len(fmt.Sprint(p.Total)), p.Done, p.Total, p.Clip.ID, p.Clip.Label, p.Clip.Frames,
				p.Took.Seconds(), float64(p.Clip.Frames)/p.Took.Seconds())
		}
	}
	res, err := fixture.Generate(ctx, cfg)
	if err != nil {
		code := fixturesExit(err)
		if code == exitInterrupt {
			fmt.Fprintln(stderr, "unmask: interrupted; nothing written")
		} else {
			fmt.Fprintf(stderr, "unmask: %v\n", err)
		}
		return code
	}
	if !quiet {
		printFamilyRates(stderr, res)
	}
	fmt.Fprintln(stdout, fixturesSummary(res))
	return exitOK
}

// fixturesExit maps Generate's errors to the CLI's exit codes.
func fixturesExit(err error) int {
	switch {
	case errors.Is(err, context.Canceled):
		return exitInterrupt
	case errors.Is(err, fixture.ErrConfig):
		return exitUsage
	case errors.Is(err, fixture.ErrClips), errors.Is(err, fixture.ErrNoFace):
		return exitInput
	case errors.Is(err, fixture.ErrOutput):
		return exitOutput
	case models.IsMissing(err), errors.Is(err, face.ErrModel):
		return exitModels
	}
	return exitInternal
}

func fixturesSummary(res *fixture.Result) string {
	splits := map[string]int{}
	var real, benign, manip int
	for _, c := range res.Corpus.Clips {
		splits[c.Split]++
		switch {
		case c.Label == fixture.LabelManipulated:
			manip++
		case c.Family == fixture.KindReal:
			real++
		default:
			benign++
		}
	}
	var parts []string
	for _, s := range []string{fixture.SplitTune, fixture.SplitTest} {
		if n := splits[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s, n))
		}
	}
	return fmt.Sprintf("wrote %d clips (%s; %d real, %d benign, %d manipulated) to %s in %s",
		len(res.Corpus.Clips), strings.Join(parts, ", "), real, benign, manip, res.Dir, res.Took.Round(time.Second))
}

func printFamilyRates(w io.Writer, res *fixture.Result) {
	names := make([]string, 0, len(res.Families))
	for n := range res.Families {
		names = append(names, n)
	}
	slices.Sort(names)
	fmt.Fprintln(w, "family              clips  frames  fps per worker")
	for _, n := range names {
		f := res.Families[n]
		fmt.Fprintf(w, "%-18s  %5d  %6d  %6.0f\n", n, f.Clips, f.Frames, f.FPS())
	}
}
