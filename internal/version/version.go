// Package version holds the Unmask release version, shared by the desktop
// app and the headless CLI.
package version

// Version is the release version. Release builds set it with
//
//	go build -ldflags "-X github.com/unmaskhq/unmask/internal/version.Version=1.2.3"
//
// It is a var, not a const, because -X can only set string variables.
var Version = "0.1.0-dev"

// String returns the version for display, e.g. "Unmask 0.1.0-dev".
func String() string {
	if Version == "" {
		return "Unmask (unknown version)"
	}
	return "Unmask " + Version
}
