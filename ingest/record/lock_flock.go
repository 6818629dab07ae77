//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package record

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on f without waiting.
// The lock belongs to f's open file description: another open of the
// same file, in this process or another, cannot take it until f is closed
// or the process dies, which is what tells Recover that a session is live.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return ErrBusy
		default:
			return fmt.Errorf("record: lock %s: %w", f.Name(), err)
		}
	}
}
