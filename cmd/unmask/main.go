// Command unmask is Unmask's headless analyzer: the same engine as the
// desktop app, for scripts, CI and servers without a display.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/unmaskhq/unmask/internal/version"
)

// Exit codes are part of the CLI contract; usage lists them.
const (
	exitOK        = 0
	exitInternal  = 1 // unexpected failure: a bug or the machine (disk full)
	exitUsage     = 2 // bad command line
	exitInput     = 3 // the input cannot be analysed: missing, empty, not a video, too small or large
	exitModels    = 4 // a model file is missing or fails verification
	exitNoFace    = 5 // analysed, but no face in any frame: nothing to judge
	exitOutput    = 6 // the --out directory cannot be written or would be overwritten
	exitInterrupt = 130
)

const usage = `unmask: find deepfaked and manipulated video in interviews (headless).

Usage:
  unmask analyze INPUT [--audio WAV] [--json] [--out DIR] [--detector hog|haar]
                 [--sensitivity low|normal|high] [--progress] [--quiet]
      Analyse a video file (mp4, webm, mkv, avi, anything ffmpeg reads):
      risk, level and the seven signals with reasons.
      --audio WAV judge lip-sync against this WAV instead of the input's sound
      --json      print exactly one JSON object on stdout (schema below)
      --out DIR   write report.html, report.json, evidence of flagged windows,
                  track.jsonl, summary.json and manifest.json (SHA-256 of
                  each); never overwrites
      --detector  full-frame face detector: hog (dlib, default) or haar (OpenCV)
      --quiet     no progress bar or log lines on stderr, only errors
      INPUT may also be a recorded call (a folder under DATA/recordings):
      the video as received and the voice are replayed on the call's clock.
  unmask serve [--addr 127.0.0.1:8443] [--data DIR] [--cert F --key F]
               [--public-url URL] [--link-ttl 4h] [--max-live 2]
      Run the ingest server: candidate links, a WHIP endpoint, live
      analysis and recording of every call. Prints one new session as
      "candidate: URL" and "whip: URL TOKEN" lines on stdout.
  unmask session new [--data DIR] [--json]
      Ask the running server (found through DATA/serve.json) for another
      session; prints the same two lines.
  unmask recover DIR
      Finish a recording left open by a killed server (serve does this
      for its own data folder at start).
  unmask models [--json]
      Show every model file, where it was found and whether it verifies.
  unmask fixtures OUT [--split tune|test|all] [--seed N] [--segment S] [--limit N] [--clips DIR] [--quiet]
      Render the labelled evaluation corpus from the real clips.
  unmask eval CORPUS [--split test|tune|all] [--jobs N] [--results FILE] [--json]
      Per-family ROC AUC, verdict rates and lip-sync error on a corpus.
  unmask fit CORPUS | --from-results FILE [--out fusion.json]
      Fit the fusion weights and thresholds on the tune split.
  unmask version
  unmask help

Output: stdout carries only the result (JSON with --json, a short text
summary without); logs and a progress bar (when stderr is a terminal) go to
stderr. The JSON object has "schema": 2 and the fields documented in
docs/CLI.md.

Environment:
  UNMASK_MODELS   a directory searched first for model files

Exit codes:
  0    success
  1    internal error
  2    usage error
  3    input error: missing, empty, unreadable, not a video, or a frame size
       outside 64..8192 px
  4    a model file is missing or fails its SHA-256 check (the message names
       the package to install)
  5    analysed, but no face was found in any frame (the JSON is still printed)
  6    the --out directory is not writable or already holds results
  130  interrupted (SIGINT/SIGTERM); nothing is written to --out
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "analyze", "analyse":
		return cmdAnalyze(ctx, args[1:], stdout, stderr)
	case "models":
		return cmdModels(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "session":
		return cmdSession(ctx, args[1:], stdout, stderr)
	case "recover":
		return cmdRecover(args[1:], stdout, stderr)
	case "fixtures":
		return cmdFixtures(ctx, args[1:], stdout, stderr)
	case "eval":
		return cmdEval(ctx, args[1:], stdout, stderr)
	case "fit":
		return cmdFit(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "unmask", version.String())
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "unmask: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// cliError carries an exit code with its message.
type cliError struct {
	code int
	err  error
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

func fail(code int, err error) error { return &cliError{code: code, err: err} }

func exitCode(err error) int {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.code
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupt
	}
	return exitInternal
}
