//go:build !linux

package camera

import "fmt"

// errUnsupported wraps ErrUnsupported with the system's name and what is
// missing.
func errUnsupported(goos, missing string) error {
	return fmt.Errorf("%w (%s): %s", ErrUnsupported, goos, missing)
}
