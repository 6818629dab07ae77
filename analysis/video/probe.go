package video

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// ProbeTimeout bounds one ffprobe run. Probing reads only the container
// headers, which takes tens of milliseconds for a local file.
const ProbeTimeout = 30 * time.Second

// Output bounds for ffprobe: real JSON for a file is a few kilobytes; the
// bounds stop a hostile file (thousands of streams or tags) from taking
// memory.
const (
	maxProbeStdout = 4 << 20
	maxProbeStderr = 64 << 10
)

// Probe describes the video file at path by running
// `ffprobe -v error -print_format json -show_format -show_streams`, and
// checks that the engine can analyse it. Errors wrap ErrNotFound, ErrEmpty,
// ErrNotVideo (also for directories), ErrTooSmall, ErrTooLarge or
// ErrNoFFprobe. The run stops at ctx's end or after ProbeTimeout.
func Probe(ctx context.Context, path string) (Info, error) {
	abs, size, err := statFile(path)
	if err != nil {
		return Info{}, err
	}
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		return Info{}, fmt.Errorf("video: probe %s: %w", path, ErrNoFFprobe)
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()

	stdout := &cappedBuffer{max: maxProbeStdout}
	stderr := &cappedBuffer{max: maxProbeStderr}
	// "file:" keeps ffprobe from reading a path like "http:x" as a URL.
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-print_format", "json",
		"-show_format", "-show_streams", "file:"+abs)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("video: probe %s: ffprobe: %w", path, err)
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(runErr, &exitErr):
		return Info{}, fmt.Errorf("video: probe %s: %w: ffprobe: %s", path, ErrNotVideo, firstLine(stderr.Bytes(), exitErr))
	case runErr != nil:
		return Info{}, fmt.Errorf("video: probe %s: run ffprobe: %w", path, runErr)
	case stdout.overflow:
		return Info{}, fmt.Errorf("video: probe %s: %w (over %d bytes)", path, errProbeLimit, maxProbeStdout)
	}
	info, err := parseProbe(stdout.Bytes())
	if err != nil {
		return Info{}, fmt.Errorf("video: probe %s: %w", path, err)
	}
	info.Path, info.SizeBytes = abs, size
	return info, nil
}

// statFile checks that path names a non-empty regular file and returns its
// absolute path and size.
func statFile(path string) (string, int64, error) {
	if path == "" {
		return "", 0, fmt.Errorf("video: empty path: %w", ErrNotFound)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", 0, fmt.Errorf("video: %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", 0, fmt.Errorf("video: %s: %w", path, ErrNotFound)
	case err != nil:
		return "", 0, fmt.Errorf("video: %w", err)
	case st.IsDir():
		return "", 0, fmt.Errorf("video: %s: %w: it is a directory (reading a recorded-session folder is not supported yet; pass the video file)", path, ErrNotVideo)
	case !st.Mode().IsRegular():
		return "", 0, fmt.Errorf("video: %s: %w: not a regular file (%v)", path, ErrNotVideo, st.Mode().Type())
	case st.Size() == 0:
		return "", 0, fmt.Errorf("video: %s: %w", path, ErrEmpty)
	}
	return abs, st.Size(), nil
}

// ffmpegContext matches the "[mov,mp4 @ 0x55d0c2a0]" prefix of FFmpeg log
// lines; the address is noise in a user-facing message.
var ffmpegContext = regexp.MustCompile(`^\[([^\]@]+?) @ 0x[0-9a-fA-F]+\] `)

// firstLine returns ffprobe's first error line, tidied, or the exit status
// when it printed nothing.
func firstLine(stderr []byte, exitErr error) string {
	for _, line := range strings.Split(string(stderr), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		line = ffmpegContext.ReplaceAllString(line, "$1: ")
		if len(line) > 300 {
			line = line[:300] + "..."
		}
		return line
	}
	return exitErr.Error()
}

// cappedBuffer keeps the first max bytes written to it and discards the
// rest, so a child process never blocks on a full pipe.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int
	overflow bool
}

// Write always consumes p.
func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room < len(p) {
		c.overflow = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

// Bytes returns what was kept.
func (c *cappedBuffer) Bytes() []byte { return c.buf.Bytes() }
