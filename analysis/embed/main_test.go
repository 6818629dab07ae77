package embed_test

import (
	"os"
	"sync"
	"testing"

	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/internal/matleak"
	"github.com/unmaskhq/unmask/models"
)

func TestMain(m *testing.M) {
	os.Exit(matleak.RunWith(m, func() {
		if shared != nil {
			shared.Close()
		}
		facetest.Close()
	}))
}

var (
	sharedOnce sync.Once
	shared     *embed.Embedder
	sharedErr  error
)

// embedder loads the real model once per test binary.
func embedder(tb testing.TB) *embed.Embedder {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = embed.Load(models.Default()) })
	if sharedErr != nil {
		tb.Fatalf("load face-recognition model: %v", sharedErr)
	}
	return shared
}
