//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package record

import "os"

// lockFile does nothing on this platform: Recover cannot tell a live
// session from a crashed one, so the caller must not Recover a directory
// it is recording into.
func lockFile(f *os.File) error { return nil }
