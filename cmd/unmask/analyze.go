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
	"path/filepath"
	"slices"
	"sort"
	"time"

	"golang.org/x/term"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/ingest/devices"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/report"
)

type analyzeOpts struct {
	input    string
	asJSON   bool
	out      string
	audio    string
	detector string
	quiet    bool
	progress bool
	// sensitivity moves the level thresholds (wiring.WithSensitivity).
	sensitivity string
}

func parseAnalyze(args []string, stderr io.Writer) (analyzeOpts, error) {
	var o analyzeOpts
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object on stdout")
	fs.StringVar(&o.out, "out", "", "write the report, evidence, track.jsonl and manifest.json to this directory")
	fs.StringVar(&o.audio, "audio", "", "judge lip-sync against this WAV instead of the input's own sound")
	fs.StringVar(&o.detector, "detector", "hog", "face detector: hog or haar")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress or logs on stderr")
	fs.StringVar(&o.sensitivity, "sensitivity", "normal", "low, normal or high: the risk at which a window counts as medium or high")
	fs.BoolVar(&o.progress, "progress", false, `progress as JSON lines on stderr, {"progress":{"frames":N,"total":M,"fps":F}}, at most 10 a second (for programs)`)
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return o, err
	}
	if len(rest) != 1 {
		return o, fmt.Errorf("analyze needs exactly one INPUT, got %d", len(rest))
	}
	if o.detector != "hog" && o.detector != "haar" {
		return o, fmt.Errorf("--detector must be hog or haar, not %q", o.detector)
	}
	if !slices.Contains(wiring.Sensitivities, o.sensitivity) {
		return o, fmt.Errorf("--sensitivity must be low, normal or high, not %q", o.sensitivity)
	}
	o.input = rest[0]
	return o, nil
}

// parseInterleaved parses flags before and after the positional
// arguments, as users type them both ways, and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) > 0 {
			rest = append(rest, args[0])
			args = args[1:]
		}
	}
	return rest, nil
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
	var src engineSource
	var voiceStart time.Duration
	var findings []devices.Finding
	if isCall(o.input) {
		// A recorded call: its video as received, its voice on the same
		// clock as during the call.
		call, err := openCall(o.input)
		if err != nil {
			return nil, err
		}
		defer call.src.Close()
		src, findings = call.src, call.findings
		if o.audio == "" && call.wav != "" {
			o.audio, voiceStart = call.wav, call.voiceStart
		}
	} else {
		fs, err := video.OpenFile(ctx, o.input)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil, err
			}
			if errors.Is(err, video.ErrNoFFprobe) {
				return nil, fail(exitInternal, err)
			}
			return nil, fail(exitInput, err)
		}
		defer fs.Close()
		src = fs
	}
	info := src.Info()
	var err error

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
	reg := models.Default()
	params, err := loadFusion(reg)
	if err != nil {
		return nil, fail(exitModels, err)
	}
	if params, err = wiring.WithSensitivity(params, o.sensitivity); err != nil {
		return nil, fail(exitUsage, err)
	}
	fm, err := face.LoadModels(reg)
	if err != nil {
		if models.IsMissing(err) || errors.Is(err, face.ErrModel) {
			return nil, fail(exitModels, err)
		}
		return nil, err
	}
	defer fm.Close()
	log.Info("models loaded", "took", time.Since(t0).Round(time.Millisecond))

	var bar *progress
	if o.progress {
		bar = newJSONProgress(stderr, info.ExpectedFrames())
	} else if !o.quiet {
		if fd, ok := stderr.(*os.File); ok && term.IsTerminal(int(fd.Fd())) {
			bar = newProgress(stderr, info.ExpectedFrames())
		}
	}
	onFrame := func(r analysis.FrameResult) error {
		bar.update(r.Index + 1)
		if track != nil {
			return track.write(r)
		}
		return nil
	}
	log.Info("analysing", "input", info.Path, "size", fmt.Sprintf("%dx%d", info.Width, info.Height),
		"fps", info.FPS, "duration", info.Duration.Round(time.Millisecond))
	eng, err := runEngine(ctx, src, fm, engineOpts{audio: o.audio, voiceStart: voiceStart, findings: findings, detector: o.detector,
		params: params, onFrame: onFrame})
	bar.done()
	if err != nil {
		return nil, err
	}
	hr := <-hashc
	if hr.err != nil {
		return nil, fail(exitInput, fmt.Errorf("hash input: %w", hr.err))
	}
	if eng.res.Analysed == 0 {
		return nil, fail(exitInput, fmt.Errorf("%s: no frame could be decoded", info.Path))
	}
	rep := newReport(info, hr.sum, eng, o, params)
	if out != nil {
		if err := track.flush(); err != nil {
			return nil, fail(exitOutput, err)
		}
		if _, err := track.f.Commit(); err != nil {
			return nil, fail(exitOutput, err)
		}
		rep.Output = &outputRef{Dir: out.Path(), Track: filepath.Join(out.Path(), "track.jsonl"),
			Report: filepath.Join(out.Path(), report.HTMLName)}
		if err := saveEvidence(ctx, out, info.Path, eng, rep, log); err != nil {
			return nil, err
		}
		if err := report.Write(out, &rep.Document); err != nil {
			return nil, fail(exitOutput, err)
		}
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return nil, fail(exitInternal, err)
		}
		if _, err := out.WriteFile("summary.json", append(b, '\n')); err != nil {
			return nil, fail(exitOutput, err)
		}
		meta := map[string]string{"input": info.Path, "input_sha256": hr.sum}
		if o.audio != "" {
			meta["audio"] = o.audio
		}
		if _, err := out.Finish("unmask "+version.Version, meta); err != nil {
			return nil, fail(exitOutput, err)
		}
	}
	log.Info("done", "frames", rep.FramesProcessed, "face_fraction", fmt.Sprintf("%.4f", rep.FaceFraction),
		"fps", fmt.Sprintf("%.0f", rep.ProcessingFPS), "risk", fmt.Sprintf("%.2f", rep.Risk), "level", rep.Level)
	return rep, nil
}

// maxEvidence bounds the evidence saved for one input: the strongest
// windows first, at least evidenceGap apart, so a long manipulated
// interview yields a reviewable set rather than one item per second.
const (
	maxEvidence = 12
	evidenceGap = 4 * time.Second
)

// saveEvidence writes the frames, clips and metrics of the strongest
// windows at medium or above. A window whose frame cannot be decoded
// again is reported as a warning; the rest is kept.
func saveEvidence(ctx context.Context, out *evidence.Dir, input string, eng *engineResult, rep *Report, log *slog.Logger) error {
	var cand []int
	for i, w := range eng.windows {
		if w.Level.Rank() >= fuse.Medium.Rank() {
			cand = append(cand, i)
		}
	}
	sort.SliceStable(cand, func(a, b int) bool { return eng.windows[cand[a]].Risk > eng.windows[cand[b]].Risk })
	var reqs []report.Request
	var chosen []time.Duration
	for _, i := range cand {
		w := eng.windows[i]
		near := false
		for _, t := range chosen {
			if d := w.End - t; d < evidenceGap && d > -evidenceGap {
				near = true
			}
		}
		if near || len(reqs) >= maxEvidence {
			continue
		}
		chosen = append(chosen, w.End)
		reqs = append(reqs, evidenceRequest(i, w, eng.faces))
	}
	if len(reqs) == 0 {
		return nil
	}
	sort.Slice(reqs, func(a, b int) bool { return reqs[a].Frame < reqs[b].Frame })
	evs, err := report.Extract(ctx, input, reqs, out, report.ExtractOptions{})
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		log.Warn("some evidence could not be saved", "err", err)
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("some evidence could not be saved: %v", err))
	}
	rep.Evidence = append(rep.Evidence, evs...)
	return nil
}

// evidenceRequest shows the frame the strongest signal points at (or the
// window's last frame) with that signal's regions.
func evidenceRequest(i int, w fuse.Window, faces map[int]*analysis.Face) report.Request {
	r := report.Request{Window: i, TimeS: w.End.Seconds(), Frame: w.EndFrame, Level: string(w.Level), Risk: round(w.Risk, 3)}
	metrics := map[string]any{}
	for _, s := range w.Scores {
		metrics[s.Signal] = map[string]any{"score": round(s.Value, 3), "valid": s.Valid, "reasons": s.Reasons, "metrics": finiteMap(s.Metrics)}
	}
	r.Metrics = metrics
	if len(w.Reasons) > 0 {
		top := w.Reasons[0]
		r.Signal, r.Reason = top.Signal, top.Text
		for _, s := range w.Scores {
			if s.Signal == top.Signal && len(s.Frames) > 0 {
				r.Frame = s.Frames[0]
				r.Regions = s.Regions
			}
		}
	}
	r.Face = faces[r.Frame]
	return r
}

func finiteMap(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = round(finite(v), 4)
	}
	return out
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
