// Package facetest gives tests of packages above analysis/face one shared
// copy of the real face models and a way to run a real clip through the
// real pipeline. Loading the 100 MB landmark model takes most of a second,
// so it happens once per test binary; TestMain calls Close.
package facetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/testdata/clips"
)

var (
	once   sync.Once
	loaded *face.Models
	err    error
)

// Models returns the real face models, loaded once.
func Models(tb testing.TB) *face.Models {
	tb.Helper()
	once.Do(func() { loaded, err = face.LoadModels(models.Default()) })
	if err != nil {
		tb.Fatalf("load face models: %v", err)
	}
	return loaded
}

// Close frees the shared models; call it from TestMain after the tests.
func Close() {
	if loaded != nil {
		loaded.Close()
	}
}

// Analyzer returns a new analyzer over the shared models, closed when the
// test ends.
func Analyzer(tb testing.TB) *face.Analyzer {
	tb.Helper()
	a, err := face.NewAnalyzer(Models(tb), face.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	return a
}

// OpenClip opens a real clip, closed when the test ends.
func OpenClip(tb testing.TB, name string) *video.FileSource {
	tb.Helper()
	src, err := video.OpenFile(context.Background(), clips.Path(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { src.Close() })
	return src
}

var errEnough = errors.New("facetest: enough frames")

// TrackFile is Track for a video file given by path.
func TrackFile(tb testing.TB, path string, until time.Duration, fn func(analysis.FrameResult)) {
	tb.Helper()
	src, err := video.OpenFile(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	if _, err := pipeline.Run(context.Background(), src, Analyzer(tb), func(r analysis.FrameResult) error {
		if until > 0 && r.Time > until {
			return errEnough
		}
		fn(r)
		return nil
	}, pipeline.Options{Measure: true}); err != nil && !errors.Is(err, errEnough) {
		tb.Fatal(err)
	}
}

// Track runs a real clip through the real pipeline, pixel statistics
// included, and hands every result to fn, stopping after media time until
// (0: the whole clip).
func Track(tb testing.TB, clip string, until time.Duration, fn func(analysis.FrameResult)) {
	tb.Helper()
	TrackFile(tb, clips.Path(tb, clip), until, fn)
}
