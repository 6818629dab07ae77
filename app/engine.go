package app

import (
	"sync"

	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/models"
)

// EngineLoader loads the face models and fusion parameters on first use
// (about a second) and then returns the same Engine; a failure is retried
// on the next call, so installing a missing model needs no restart. Close
// releases the models. Safe for concurrent use.
type EngineLoader struct {
	reg      *models.Registry
	detector string

	mu  sync.Mutex
	eng *Engine
}

// NewEngineLoader returns a loader over reg with the named face detector
// ("hog" or "haar").
func NewEngineLoader(reg *models.Registry, detector string) *EngineLoader {
	return &EngineLoader{reg: reg, detector: detector}
}

// Load returns the Engine, loading it the first time.
func (l *EngineLoader) Load() (*Engine, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.eng != nil {
		return l.eng, nil
	}
	params, err := wiring.Fusion(l.reg)
	if err != nil {
		return nil, err
	}
	fm, err := face.LoadModels(l.reg)
	if err != nil {
		return nil, err
	}
	l.eng = &Engine{Models: fm, Params: params, Detector: l.detector}
	return l.eng, nil
}

// Close releases the models. Idempotent; sources must have stopped.
func (l *EngineLoader) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.eng != nil {
		l.eng.Models.Close()
		l.eng = nil
	}
}
