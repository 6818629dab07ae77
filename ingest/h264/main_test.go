package h264_test

import (
	"os"
	"testing"

	"github.com/unmaskhq/unmask/internal/matleak"
)

// TestMain fails the run when Mats leak (with -tags matprofile) and removes
// the H.264 files encoded once for all tests.
func TestMain(m *testing.M) {
	code := matleak.Run(m)
	fixtures.Remove()
	os.Exit(code)
}
