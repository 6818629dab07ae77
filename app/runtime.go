package app

import (
	"context"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Runtime is the part of the Wails runtime that services use. Services get
// one when the window starts; tests pass a fake, so no service needs a
// window to run.
type Runtime interface {
	// Emit sends an event with one JSON-encodable payload to the window.
	// It does not block on the window.
	Emit(event string, payload any)
	// OpenFile asks the user for a file with the system dialog; "" when
	// cancelled. patterns are shell patterns such as "*.mp4".
	OpenFile(title string, patterns []string) (string, error)
	// OpenDirectory asks the user for a folder; "" when cancelled.
	OpenDirectory(title string) (string, error)
}

// wailsRuntime is the Runtime of a running Wails window.
type wailsRuntime struct {
	ctx context.Context // the context Wails passed to OnStartup
}

// WailsRuntime returns the Runtime for the Wails window that passed ctx to
// OnStartup. Its methods must not be called with any other context: the
// Wails runtime aborts the process when ctx carries no window.
func WailsRuntime(ctx context.Context) Runtime {
	return wailsRuntime{ctx: ctx}
}

// Emit implements Runtime.
func (w wailsRuntime) Emit(event string, payload any) {
	wailsruntime.EventsEmit(w.ctx, event, payload)
}

// OpenFile implements Runtime.
func (w wailsRuntime) OpenFile(title string, patterns []string) (string, error) {
	opts := wailsruntime.OpenDialogOptions{Title: title}
	if len(patterns) > 0 {
		p := ""
		for i, s := range patterns {
			if i > 0 {
				p += ";"
			}
			p += s
		}
		opts.Filters = []wailsruntime.FileFilter{{DisplayName: "Recordings", Pattern: p}}
	}
	return wailsruntime.OpenFileDialog(w.ctx, opts)
}

// OpenDirectory implements Runtime.
func (w wailsRuntime) OpenDirectory(title string) (string, error) {
	return wailsruntime.OpenDirectoryDialog(w.ctx, wailsruntime.OpenDialogOptions{Title: title})
}
