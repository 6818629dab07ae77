package match_test

import (
	"os"
	"sync"
	"testing"

	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/idcheck/match"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/internal/matleak"
	"github.com/unmaskhq/unmask/models"
)

var (
	embOnce sync.Once
	emb     *embed.Embedder
	embErr  error
)

func TestMain(m *testing.M) {
	os.Exit(matleak.RunWith(m, func() {
		if emb != nil {
			emb.Close()
		}
		facetest.Close()
	}))
}

// newMatcher returns a Matcher over the shared real models, closed when
// the test ends.
func newMatcher(tb testing.TB) *match.Matcher {
	tb.Helper()
	embOnce.Do(func() { emb, embErr = embed.Load(models.Default()) })
	if embErr != nil {
		tb.Fatalf("load embedder: %v", embErr)
	}
	m, err := match.New(facetest.Models(tb).Landmarks, emb)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}
