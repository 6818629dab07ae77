package video_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/video"
)

// The test binary re-runs itself as a child (see TestMain) to observe what
// OpenCV prints from a fresh process, whose environment the package's init
// sets up.
const (
	logChildEnv  = "UNMASK_VIDEO_LOG_CHILD" // "quiet" or "loud"
	logChildFile = "UNMASK_VIDEO_LOG_FILE"
)

// logChild reads the file named by logChildFile to the end, then asks the
// default backends (GStreamer first on Debian) to open a missing file. In
// "loud" mode it first removes the OPENCV_FFMPEG_LOGLEVEL that init set,
// restoring FFmpeg's default (the FFmpeg backend reads it lazily); the
// parent sets OPENCV_LOG_LEVEL=WARNING, which init must leave alone.
func logChild(mode string) int {
	if mode == "loud" {
		os.Unsetenv("OPENCV_FFMPEG_LOGLEVEL")
	}
	src, err := video.OpenFile(context.Background(), os.Getenv(logChildFile))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer src.Close()
	f := analysis.Frame{Image: gocv.NewMat()}
	defer f.Close()
	for {
		if err := src.Read(&f); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			fmt.Println(err)
			return 1
		}
	}
	if vc, err := gocv.VideoCaptureFile(filepath.Join(os.TempDir(), "unmask-no-such-video.mp4")); err == nil {
		vc.Close()
	} else {
		vc.Close()
	}
	fmt.Printf("child read %d frames\n", src.Stats().FramesRead)
	return 0
}

// TestOpenCVQuiet checks that a damaged file prints nothing from FFmpeg or
// OpenCV once this package is imported, and, as a control, that the same
// run with OpenCV's defaults does print.
func TestOpenCVQuiet(t *testing.T) {
	dir := t.TempDir()
	full := testsrc(t, dir, "full.mp4", "320x240", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart")
	cut := halve(t, full, filepath.Join(dir, "cut.mp4"))

	run := func(mode string, extraEnv ...string) (stdout, stderr string) {
		t.Helper()
		var env []string
		for _, kv := range os.Environ() { // this process's init set them; the child must start clean
			if !strings.HasPrefix(kv, "OPENCV_LOG_LEVEL=") && !strings.HasPrefix(kv, "OPENCV_FFMPEG_LOGLEVEL=") {
				env = append(env, kv)
			}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(append(env, logChildEnv+"="+mode, logChildFile+"="+cut), extraEnv...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s child: %v\nstdout:\n%s\nstderr:\n%s", mode, err, o.String(), e.String())
		}
		if !strings.Contains(o.String(), "child read ") {
			t.Fatalf("%s child did not finish: %q", mode, o.String())
		}
		return o.String(), e.String()
	}

	loudOut, loud := run("loud", "OPENCV_LOG_LEVEL=WARNING")
	t.Logf("with OpenCV's default levels the child printed %d bytes to stderr:\n%s", len(loud), loud)
	if !strings.Contains(loud, "Invalid NAL unit size") && !strings.Contains(loud, "partial file") {
		t.Errorf("control run printed no FFmpeg error; the test would not notice noise")
	}
	quietOut, quiet := run("quiet")
	if quiet != "" {
		t.Errorf("child printed to stderr:\n%s", quiet)
	}
	if quietOut != loudOut {
		t.Errorf("child stdout %q, want %q", quietOut, loudOut)
	}
	if !strings.Contains(loud, "[ WARN") {
		t.Logf("this OpenCV build printed no warnings; OPENCV_LOG_LEVEL is untested here")
	}
}
