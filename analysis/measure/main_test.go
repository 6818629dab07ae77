package measure_test

import (
	"os"
	"testing"

	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/internal/matleak"
)

func TestMain(m *testing.M) {
	code := matleak.Run(m)
	facetest.Close()
	os.Exit(code)
}
