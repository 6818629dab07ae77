// Package matleak lets TestMain functions fail a test binary that leaves
// gocv Mats open. Counting needs gocv's matprofile build tag, which
// `make test` always sets; without it Check reports nothing.
package matleak

import (
	"fmt"
	"os"
	"testing"
)

// Run runs the tests and then fails the binary (exit code 1) if any Mat
// allocated during them is still open. Use it as the whole body of
// TestMain: os.Exit(matleak.Run(m)).
func Run(m *testing.M) int { return RunWith(m, nil) }

// RunWith is Run for test binaries that share Mat-holding values across
// tests: release, when not nil, runs after the tests and before the
// count, to close them.
func RunWith(m *testing.M, release func()) int {
	code := m.Run()
	if release != nil {
		release()
	}
	if n, stacks := open(); n != 0 {
		fmt.Fprintf(os.Stderr, "matleak: %d Mat(s) not closed:\n%s\n", n, stacks)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Enabled reports whether this binary counts Mats (built with matprofile).
func Enabled() bool { return enabled }

// Count returns the number of Mats open now (0 without matprofile).
func Count() int { n, _ := open(); return n }
