// Package datadir names the folder Unmask keeps its data in by default:
// recordings, the app's database, reviews and marks. The CLI's serve and
// the desktop app share it, so `unmask session new` finds the window's
// interview server.
package datadir

import (
	"os"
	"path/filepath"
)

// Default is $XDG_DATA_HOME/unmask, else ~/.local/share/unmask, else
// "unmask-data" in the working folder when there is no home.
func Default() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "unmask")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "unmask")
	}
	return "unmask-data"
}
