package app_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/models"
)

// recorder is a Runtime that records emitted events.
type recorder struct {
	mu     sync.Mutex
	events []emitted
	pick   string // what the file and folder dialogs answer
}

type emitted struct {
	name    string
	payload any
}

func (r *recorder) Emit(event string, payload any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, emitted{event, payload})
}

func (r *recorder) recorded() []emitted {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]emitted(nil), r.events...)
}

func TestLifecycleEmitsModelStatus(t *testing.T) {
	defer checkGoroutines(t)()
	rec := &recorder{}
	checker := fakeChecker{
		{Model: models.Model{Name: "a"}, OK: true},
		{Model: models.Model{Name: "b"}, Error: "missing"},
	}
	life := app.NewLifecycle([]app.Service{app.NewStatusService(checker)},
		app.WithRuntime(func(context.Context) app.Runtime { return rec }))

	life.Shutdown(context.Background()) // before Startup: no-op
	life.Startup(context.Background())
	life.Startup(context.Background())  // idempotent
	life.Shutdown(context.Background()) // waits for the startup check
	life.Shutdown(context.Background()) // idempotent

	got := rec.recorded()
	if len(got) != 1 {
		t.Fatalf("emitted %d events, want 1: %+v", len(got), got)
	}
	if got[0].name != app.EventModelStatus {
		t.Errorf("event name = %q, want %q", got[0].name, app.EventModelStatus)
	}
	p, ok := got[0].payload.(app.ModelStatusEvent)
	if !ok {
		t.Fatalf("payload is %T, want app.ModelStatusEvent", got[0].payload)
	}
	if len(p.Models) != 2 || p.Missing != 1 {
		t.Errorf("payload has %d models, %d missing; want 2, 1", len(p.Models), p.Missing)
	}
}

// checkGoroutines fails the test if goroutines started during it are still
// running shortly after it ends (pion's test.CheckRoutines, simplified).
func checkGoroutines(t *testing.T) func() {
	t.Helper()
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				t.Errorf("goroutines: %d after the test, %d before", runtime.NumGoroutine(), before)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
