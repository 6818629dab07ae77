package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/evidence"
)

// maxFFmpegStderr bounds what is kept of ffmpeg's complaints; the first
// lines say what went wrong.
const maxFFmpegStderr = 8 << 10

// cutClip re-encodes [center-half, center+half] of the input, clamped to
// the file, as name in dir. ffmpeg writes to a temporary file in
// os.TempDir (an MP4 with +faststart is rewritten in place, which an
// evidence.File cannot be), which is then copied into dir and removed on
// every path.
func cutClip(ctx context.Context, info video.Info, center, half float64, dir *evidence.Dir, name string) error {
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		return ErrNoFFmpeg
	}
	start, end := max(0, center-half), center+half
	if d := info.Duration.Seconds(); d > 0 {
		end = min(end, d)
	}
	if !(end > start) {
		return fmt.Errorf("clip: %.3f s lies outside the video (%.3f s)", center, info.Duration.Seconds())
	}
	tmp, err := os.CreateTemp("", "unmask-clip-*.mp4")
	if err != nil {
		return fmt.Errorf("clip: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())

	// -ss before -i seeks by the index, then decodes to the exact time;
	// re-encoding makes the cut frame-accurate. The crop keeps the sides
	// even, which yuv420p requires.
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-ss", seconds(start), "-i", "file:" + info.Path, "-t", seconds(end - start),
		"-map", "0:v:0", "-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2",
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"}
	if info.HasAudio {
		args = append(args, "-map", "0:a:0?", "-c:a", "aac")
	} else {
		args = append(args, "-an")
	}
	args = append(args, "-sn", "-dn", "-movflags", "+faststart", "-f", "mp4", tmp.Name())
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: maxFFmpegStderr}
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("clip: %w", ctx.Err())
		}
		return fmt.Errorf("clip: ffmpeg: %w: %s", err, bytes.TrimSpace(firstLine(stderr.Bytes())))
	}
	return copyInto(dir, name, tmp.Name())
}

// copyInto copies the file at path into dir as name.
func copyInto(dir *evidence.Dir, name, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := dir.Create(name)
	if err != nil {
		return err
	}
	defer out.Abort() // no-op after Commit
	if _, err := io.Copy(out, in); err != nil {
		return fmt.Errorf("copy %s: %w", name, err)
	}
	_, err = out.Commit()
	return err
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// limitedWriter keeps the first n bytes and swallows the rest, so a
// hostile file cannot make ffmpeg fill memory with complaints.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if keep := min(len(p), l.n); keep > 0 {
		l.w.Write(p[:keep])
		l.n -= keep
	}
	return len(p), nil
}
