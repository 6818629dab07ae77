package app

import (
	"context"
	"log/slog"
	"sync"
)

// Service is a bound service whose lifecycle a Lifecycle drives. Its
// methods are unexported so that Wails does not expose them to the window.
type Service interface {
	start(ctx context.Context, rt Runtime)
	stop(ctx context.Context)
}

// Option configures a Lifecycle.
type Option func(*Lifecycle)

// WithRuntime makes the Lifecycle build its Runtime with newRuntime instead
// of WailsRuntime; tests use it to run services with no window.
func WithRuntime(newRuntime func(context.Context) Runtime) Option {
	return func(l *Lifecycle) { l.newRuntime = newRuntime }
}

// Lifecycle starts services when the window starts and stops them, in
// reverse order, when it closes. Startup and Shutdown are meant for Wails'
// OnStartup and OnShutdown; Shutdown is idempotent and a no-op before
// Startup.
type Lifecycle struct {
	services   []Service
	newRuntime func(context.Context) Runtime

	mu      sync.Mutex
	started bool
}

// NewLifecycle returns a Lifecycle for services, started in order.
func NewLifecycle(services []Service, opts ...Option) *Lifecycle {
	l := &Lifecycle{services: services, newRuntime: WailsRuntime}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Startup starts every service with ctx and a Runtime built from it.
func (l *Lifecycle) Startup(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started {
		return
	}
	l.started = true
	rt := l.newRuntime(ctx)
	for _, s := range l.services {
		s.start(ctx, rt)
	}
	slog.Debug("app: started", "services", len(l.services))
}

// Shutdown stops the services in reverse order and waits for the work they
// started.
func (l *Lifecycle) Shutdown(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		return
	}
	l.started = false
	for i := len(l.services) - 1; i >= 0; i-- {
		l.services[i].stop(ctx)
	}
	slog.Debug("app: stopped", "services", len(l.services))
}
