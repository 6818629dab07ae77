package live

import (
	"os"
	"testing"

	"github.com/unmaskhq/unmask/internal/matleak"
)

// TestMain fails the run when Mats leak (-tags matprofile).
func TestMain(m *testing.M) { os.Exit(matleak.Run(m)) }
