package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/models"
)

// ModelChecker locates and verifies model files; *models.Registry is one.
type ModelChecker interface {
	Check() []models.Status
}

// StatusService tells the window what it is running: the version and
// whether every model file is present and intact. It is safe for
// concurrent use.
type StatusService struct {
	models ModelChecker
	wg     sync.WaitGroup // the startup check
}

// NewStatusService returns a StatusService that reports on mc, usually
// models.Default().
func NewStatusService(mc ModelChecker) *StatusService {
	return &StatusService{models: mc}
}

// Version returns the Unmask version, e.g. "0.1.0-dev".
func (s *StatusService) Version() string {
	return version.Version
}

// ModelStatus returns one entry per registry model, sorted by name. The
// first call hashes every model file (about half a second for the 100 MB
// landmark model); later calls return the cached result.
func (s *StatusService) ModelStatus() ([]models.Status, error) {
	st := s.models.Check()
	if len(st) == 0 {
		return nil, fmt.Errorf("model status: %w", ErrNoModels)
	}
	return st, nil
}

// start checks the models in the background, so that the hashing is done
// before the window asks, and emits EventModelStatus with the result.
func (s *StatusService) start(_ context.Context, rt Runtime) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		st, err := s.ModelStatus()
		if err != nil {
			// The window's own ModelStatus call reports the error.
			return
		}
		rt.Emit(EventModelStatus, ModelStatusEvent{Models: st, Missing: countMissing(st)})
	}()
}

// stop waits for the startup check.
func (s *StatusService) stop(context.Context) {
	s.wg.Wait()
}

func countMissing(st []models.Status) int {
	n := 0
	for _, m := range st {
		if !m.OK {
			n++
		}
	}
	return n
}
