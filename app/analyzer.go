package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/unmaskhq/unmask/report"
)

// The window analyses files in a separate `unmask analyze` process: a
// hostile or broken file can make OpenCV abort its process (an assertion
// is not a Go panic), and that must never close the interviewer's window.
// The CLI's JSON is a documented contract (docs/CLI.md), so the two
// cannot drift apart.

// analyzerProgress is one `--progress` line of `unmask analyze`.
type analyzerProgress struct {
	Frames int     `json:"frames"`
	Total  int     `json:"total"`
	FPS    float64 `json:"fps"`
}

// analyzerResult is the part of `unmask analyze --json` the window reads.
type analyzerResult struct {
	report.Document
	FramesProcessed int `json:"frames_processed"`
	FramesWithFace  int `json:"frames_with_face"`
	Dropped         int `json:"frames_dropped"`
}

// maxAnalyzerOutput bounds what is read from the analyzer's stdout; a
// 4-hour interview's verdict is a few MB.
const maxAnalyzerOutput = 64 << 20

// FindAnalyzer returns the `unmask` binary: next to the running
// executable (how `make desktop` and packages install it), else on PATH.
func FindAnalyzer() (string, error) {
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "unmask")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	p, err := exec.LookPath("unmask")
	if err != nil {
		return "", fmt.Errorf("the analyzer `unmask` is neither next to this program nor on PATH (build it with `make unmask`)")
	}
	return p, nil
}

// runAnalyzer runs `bin analyze input --json --out out --progress
// --sensitivity sensitivity` and
// returns its verdict. Cancelling ctx interrupts the analyzer, which then
// writes nothing.
func runAnalyzer(ctx context.Context, bin, input, out, sensitivity string, onProgress func(analyzerProgress)) (*analyzerResult, error) {
	if sensitivity == "" {
		sensitivity = "normal"
	}
	cmd := exec.CommandContext(ctx, bin, "analyze", input, "--json", "--out", out, "--progress", "--quiet", "--sensitivity", sensitivity)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	var stdout bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &stdout, n: maxAnalyzerOutput}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the analyzer: %w", err)
	}
	var lastErr string
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var p struct {
			Progress *analyzerProgress `json:"progress"`
		}
		if bytes.HasPrefix(line, []byte(`{"progress"`)) && json.Unmarshal(line, &p) == nil && p.Progress != nil {
			if onProgress != nil {
				onProgress(*p.Progress)
			}
			continue
		}
		if s := strings.TrimSpace(string(line)); s != "" {
			lastErr = strings.TrimPrefix(s, "unmask: ")
		}
	}
	io.Copy(io.Discard, stderr)
	err = cmd.Wait()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var res analyzerResult
	if stdout.Len() > 0 {
		if jerr := json.Unmarshal(stdout.Bytes(), &res); jerr != nil {
			return nil, fmt.Errorf("the analyzer's answer is unreadable: %w", jerr)
		}
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return &res, nil
	case errors.As(err, &ee) && ee.ExitCode() == exitNoFace && stdout.Len() > 0:
		// A verdict with no face in any frame: a result to show, not a
		// failure.
		return &res, nil
	case lastErr != "":
		return nil, errors.New(lastErr)
	default:
		return nil, fmt.Errorf("the analyzer failed: %w", err)
	}
}

// exitNoFace is `unmask analyze`'s exit code when no frame held a face
// (docs/CLI.md).
const exitNoFace = 5

// limitedWriter keeps the first n bytes and fails after them.
type limitedWriter struct {
	w io.Writer
	n int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > l.n {
		return 0, errors.New("analyzer output too large")
	}
	l.n -= int64(len(p))
	return l.w.Write(p)
}
