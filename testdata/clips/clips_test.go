package clips_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestPath(t *testing.T) {
	for _, name := range []string{clips.Franck, clips.Cap12, clips.Cap13} {
		t.Run(name, func(t *testing.T) {
			p := clips.Path(t, name)
			if !filepath.IsAbs(p) {
				t.Errorf("Path(%q) = %q, want an absolute path", name, p)
			}
			if got := filepath.Base(p); got != name {
				t.Errorf("base of Path = %q, want %q", got, name)
			}
		})
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message instead of
// stopping the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) { r.msg = fmt.Sprintf(format, args...) }

func TestPathMissingFails(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(clips.EnvDir, dir)
	r := &fatalRecorder{TB: t}
	clips.Path(r, clips.Cap13)
	if !strings.Contains(r.msg, "run `make testdata`") {
		t.Errorf("Fatalf message = %q, want it to say run `make testdata`", r.msg)
	}

	// The override is honoured once the clip is there.
	if err := os.MkdirAll(filepath.Join(dir, "media"), 0o755); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "media", clips.Cap13)
	if err := os.WriteFile(want, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = &fatalRecorder{TB: t}
	if got := clips.Path(r, clips.Cap13); got != want || r.msg != "" {
		t.Errorf("Path = %q (fatal %q), want %q", got, r.msg, want)
	}
}
