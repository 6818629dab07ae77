package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/models"
)

// Schema is the version of the analyze JSON object; bump it on any
// incompatible change (docs/CLI.md).
const Schema = 1

type analyzeOpts struct {
	input    string
	asJSON   bool
	out      string
	detector string
	quiet    bool
}

func parseAnalyze(args []string, stderr io.Writer) (analyzeOpts, error) {
	var o analyzeOpts
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object on stdout")
	fs.StringVar(&o.out, "out", "", "write track.jsonl, summary.json and manifest.json to this directory")
	fs.StringVar(&o.detector, "detector", "hog", "face detector: hog or haar")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress or logs on stderr")
	// Accept flags before and after INPUT, as users type them both ways.
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return o, err
		}
		args = fs.Args()
		if len(args) > 0 {
			rest = append(rest, args[0])
			args = args[1:]
		}
	}
	if len(rest) != 1 {
		return o, fmt.Errorf("analyze needs exactly one INPUT, got %d", len(rest))
	}
	if o.detector != "hog" && o.detector != "haar" {
		return o, fmt.Errorf("--detector must be hog or haar, not %q", o.detector)
	}
	o.input = rest[0]
	return o, nil
}

func cmdAnalyze(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseAnalyze(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "unmask analyze: %v\n\nRun `unmask help` for usage.\n", err)
		}
		return exitUsage
	}
	level := slog.LevelInfo
	if o.quiet {
		level = slog.LevelError
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	rep, err := analyze(ctx, o, stderr, log)
	if err != nil {
		code := exitCode(err)
		if code == exitInterrupt {
			fmt.Fprintln(stderr, "unmask: interrupted; nothing written")
		} else {
			fmt.Fprintf(stderr, "unmask: %v\n", err)
		}
		return code
	}
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "unmask: write result: %v\n", err)
			return exitInternal
		}
	} else {
		printSummary(stdout, rep)
	}
	if rep.FramesWithFace == 0 {
		fmt.Fprintln(stderr, "unmask: no face was found in any frame; nothing could be judged")
		return exitNoFace
	}
	return exitOK
}

func analyze(ctx context.Context, o analyzeOpts, stderr io.Writer, log *slog.Logger) (*Report, error) {
	src, err := video.OpenFile(ctx, o.input)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if errors.Is(err, video.ErrNoFFprobe) {
			return nil, fail(exitInternal, err)
		}
		return nil, fail(exitInput, err)
	}
	defer src.Close()
	info := src.Info()

	// Hash the input while it is analysed: the hash ties every result and
	// piece of evidence to exactly these bytes.
	hashc := make(chan hashResult, 1)
	go func() {
		h, err := evidence.HashFile(info.Path)
		hashc <- hashResult{h, err}
	}()

	// Open the output before the slow model load, so a directory that
	// already holds results fails at once; the track is aborted (its temp
	// file removed) on every path that does not commit it.
	var out *evidence.Dir
	var track *trackWriter
	if o.out != "" {
		if out, err = evidence.Open(o.out); err != nil {
			return nil, fail(exitOutput, err)
		}
		f, err := out.Create("track.jsonl")
		if err != nil {
			return nil, fail(exitOutput, err)
		}
		defer f.Abort() // no-op after Commit
		track = newTrackWriter(f)
	}

	t0 := time.Now()
	fm, err := face.LoadModels(models.Default())
	if err != nil {
		if models.IsMissing(err) || errors.Is(err, face.ErrModel) {
			return nil, fail(exitModels, err)
		}
		return nil, err
	}
	defer fm.Close()
	an, err := face.NewAnalyzer(fm, face.Config{Detector: o.detector})
	if err != nil {
		return nil, fail(exitModels, err)
	}
	defer an.Close()
	log.Info("models loaded", "took", time.Since(t0).Round(time.Millisecond))

	var bar *progress
	if !o.quiet {
		if fd, ok := stderr.(*os.File); ok && term.IsTerminal(int(fd.Fd())) {
			bar = newProgress(stderr, info.ExpectedFrames())
		}
	}
	qsum := 0.0
	sink := func(r analysis.FrameResult) error {
		if r.HasFace() {
			qsum += r.Face.Quality
		}
		bar.update(r.Index + 1)
		if track != nil {
			return track.write(r)
		}
		return nil
	}
	log.Info("analysing", "input", info.Path, "size", fmt.Sprintf("%dx%d", info.Width, info.Height),
		"fps", info.FPS, "duration", info.Duration.Round(time.Millisecond))
	res, runErr := pipeline.Run(ctx, src, an, sink, pipeline.Options{Policy: pipeline.Block})
	bar.done()
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return nil, runErr
		}
		if errors.Is(runErr, analysis.ErrBadFrame) || errors.Is(runErr, pipeline.ErrTooManyBadFrames) {
			return nil, fail(exitInput, runErr)
		}
		return nil, fail(exitInternal, runErr)
	}
	hr := <-hashc
	if hr.err != nil {
		return nil, fail(exitInput, fmt.Errorf("hash input: %w", hr.err))
	}

	rep := newReport(info, hr.sum, res, src.Stats(), an.Stats(), qsum, o.detector)
	if res.Analysed == 0 {
		return nil, fail(exitInput, fmt.Errorf("%s: no frame could be decoded", info.Path))
	}
	if out != nil {
		if err := track.flush(); err != nil {
			return nil, fail(exitOutput, err)
		}
		if _, err := track.f.Commit(); err != nil {
			return nil, fail(exitOutput, err)
		}
		rep.Output = &outputRef{Dir: out.Path(), Track: out.Path() + "/track.jsonl"}
		b, _ := json.MarshalIndent(rep, "", "  ")
		if _, err := out.WriteFile("summary.json", append(b, '\n')); err != nil {
			return nil, fail(exitOutput, err)
		}
		if _, err := out.Finish("unmask "+version.Version, map[string]string{"input": info.Path, "input_sha256": hr.sum}); err != nil {
			return nil, fail(exitOutput, err)
		}
	}
	log.Info("done", "frames", rep.FramesProcessed, "face_fraction", fmt.Sprintf("%.4f", rep.FaceFraction),
		"fps", fmt.Sprintf("%.0f", rep.ProcessingFPS))
	return rep, nil
}

type hashResult struct {
	sum string
	err error
}

// trackWriter writes one JSON line per frame.
type trackWriter struct {
	f   *evidence.File
	buf *bufio.Writer
	enc *json.Encoder
}

func newTrackWriter(f *evidence.File) *trackWriter {
	buf := bufio.NewWriterSize(f, 256<<10)
	return &trackWriter{f: f, buf: buf, enc: json.NewEncoder(buf)}
}

func (t *trackWriter) write(r analysis.FrameResult) error { return t.enc.Encode(newTrackLine(r)) }
func (t *trackWriter) flush() error                       { return t.buf.Flush() }
