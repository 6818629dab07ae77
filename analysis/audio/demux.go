package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// stderrLimit bounds how much of ffmpeg's stderr is kept for errors.
const stderrLimit = 2048

// Demux decodes the first audio stream of the media file at path to mono
// PCM at SampleRate with the ffmpeg CLI, reading raw s16le from a pipe.
// It first asks ffprobe whether the file has an audio stream and returns
// ErrNoAudio if not. Output beyond MaxDuration stops ffmpeg and returns
// ErrTooLong; other failures wrap ErrFFmpeg with ffmpeg's stderr
// (truncated). Cancelling ctx kills the child processes. Demux is safe for
// concurrent use; each call runs its own processes.
func Demux(ctx context.Context, path string) (PCM, error) {
	st, err := os.Stat(path)
	if err != nil {
		return PCM{}, fmt.Errorf("audio: demux: %w", err)
	}
	if !st.Mode().IsRegular() {
		return PCM{}, fmt.Errorf("audio: demux %s: not a regular file", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return PCM{}, fmt.Errorf("audio: demux %s: %w", path, err)
	}
	// The file: protocol stops ffmpeg reading a name with a colon as a
	// protocol (concat:, http:) or one starting with '-' as an option.
	input := "file:" + abs

	n, err := audioStreams(ctx, input)
	if err != nil {
		return PCM{}, fmt.Errorf("audio: demux %s: %w", path, err)
	}
	if n == 0 {
		return PCM{}, fmt.Errorf("audio: demux %s: %w", path, ErrNoAudio)
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// -t bounds ffmpeg itself a little past the limit so the limit can
	// still be detected here.
	limitSec := strconv.FormatInt(int64(maxDuration.Seconds())+1, 10)
	cmd := exec.CommandContext(cctx, "ffmpeg", "-nostdin", "-v", "error", "-i", input,
		"-map", "0:a:0", "-vn", "-ac", "1", "-ar", strconv.Itoa(SampleRate), "-t", limitSec,
		"-f", "s16le", "-")
	stderr := &limitedBuffer{limit: stderrLimit}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return PCM{}, fmt.Errorf("audio: demux %s: %w", path, err)
	}
	if err := cmd.Start(); err != nil {
		return PCM{}, fmt.Errorf("audio: demux %s: start ffmpeg: %w", path, err)
	}
	samples, readErr := readS16(stdout, maxSamples(SampleRate))
	if readErr != nil {
		cancel() // stop ffmpeg before waiting for it
	}
	waitErr := cmd.Wait()
	switch {
	case errors.Is(readErr, ErrTooLong):
		return PCM{}, fmt.Errorf("audio: demux %s: %w", path, ErrTooLong)
	case ctx.Err() != nil:
		return PCM{}, fmt.Errorf("audio: demux %s: %w", path, ctx.Err())
	case readErr != nil:
		return PCM{}, fmt.Errorf("audio: demux %s: read ffmpeg output: %w", path, readErr)
	case waitErr != nil:
		msg := stderr.String()
		if strings.Contains(msg, "does not contain any stream") || strings.Contains(msg, "matches no streams") {
			return PCM{}, fmt.Errorf("audio: demux %s: %w (ffmpeg: %s)", path, ErrNoAudio, msg)
		}
		return PCM{}, fmt.Errorf("audio: demux %s: %w: %v: %s", path, ErrFFmpeg, waitErr, msg)
	case len(samples) == 0:
		return PCM{}, fmt.Errorf("audio: demux %s: audio stream decoded to no samples: %w", path, ErrNoAudio)
	}
	return PCM{Rate: SampleRate, Samples: samples}, nil
}

// audioStreams returns how many audio streams ffprobe finds in input.
func audioStreams(ctx context.Context, input string) (int, error) {
	cmd := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-select_streams", "a",
		"-show_entries", "stream=index", "-of", "csv=p=0", input)
	stderr := &limitedBuffer{limit: stderrLimit}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("ffprobe: %w: %v: %s", ErrFFmpeg, err, stderr.String())
	}
	return len(strings.Fields(string(out))), nil
}

// readS16 converts signed 16-bit little-endian samples from r to float32,
// returning ErrTooLong once more than limit samples arrive.
func readS16(r io.Reader, limit int64) ([]float32, error) {
	buf := make([]byte, 64<<10)
	var out []float32
	var carry []byte
	for {
		n, err := r.Read(buf[len(carry):])
		n += len(carry)
		whole := n &^ 1
		if int64(len(out)+whole/2) > limit {
			return nil, ErrTooLong
		}
		for i := 0; i < whole; i += 2 {
			out = append(out, float32(int16(uint16(buf[i])|uint16(buf[i+1])<<8))/(1<<15))
		}
		carry = carry[:0]
		if whole < n {
			buf[0] = buf[whole]
			carry = buf[:1]
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// limitedBuffer keeps the first limit bytes written to it and counts the rest.
type limitedBuffer struct {
	limit   int
	buf     bytes.Buffer
	dropped int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	room := b.limit - b.buf.Len()
	if room > len(p) {
		room = len(p)
	}
	if room > 0 {
		b.buf.Write(p[:room])
	}
	b.dropped += len(p) - max(room, 0)
	return len(p), nil
}

// String returns the kept text, trimmed, noting how much was dropped.
func (b *limitedBuffer) String() string {
	s := strings.TrimSpace(b.buf.String())
	if b.dropped > 0 {
		s += fmt.Sprintf(" ... (%d bytes more)", b.dropped)
	}
	return s
}
