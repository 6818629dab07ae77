package video_test

import (
	"os"
	"testing"

	"github.com/unmaskhq/unmask/internal/matleak"
)

// TestMain fails the run when Mats leak (built with -tags matprofile,
// which `make test` always sets). It also runs the child half of
// TestOpenCVQuiet.
func TestMain(m *testing.M) {
	if mode := os.Getenv(logChildEnv); mode != "" {
		os.Exit(logChild(mode))
	}
	os.Exit(matleak.Run(m))
}
