package video_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ffmpeg runs the ffmpeg CLI quietly with args and fails tb on error.
func ffmpeg(tb testing.TB, args ...string) {
	tb.Helper()
	cmd := exec.Command("ffmpeg", append([]string{"-nostdin", "-v", "error", "-y"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}

// testsrc writes seconds of FFmpeg's test pattern at size (WxH) and 25 fps
// to dir/name with the codec args, and returns its path.
func testsrc(tb testing.TB, dir, name, size string, seconds string, codec ...string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	args := []string{"-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=25:duration=" + seconds}
	ffmpeg(tb, append(append(args, codec...), p)...)
	return p
}

// halve writes the first half of the file src to dst and returns dst.
func halve(tb testing.TB, src, dst string) string {
	tb.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, b[:len(b)/2], 0o644); err != nil {
		tb.Fatal(err)
	}
	return dst
}

// writeFile writes data to dir/name and returns the path.
func writeFile(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// joinFiles writes the concatenated bytes of srcs to dst and returns dst.
func joinFiles(tb testing.TB, dst string, srcs ...string) string {
	tb.Helper()
	var all []byte
	for _, s := range srcs {
		b, err := os.ReadFile(s)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, b...)
	}
	return writeFile(tb, filepath.Dir(dst), filepath.Base(dst), all)
}
