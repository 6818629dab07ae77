package idsynth_test

import (
	"os"
	"testing"

	"github.com/unmaskhq/unmask/internal/matleak"
)

func TestMain(m *testing.M) { os.Exit(matleak.Run(m)) }
