//go:build !linux

package record_test

import (
	"fmt"
	"os/exec"
	"testing"
)

// The child-process tests (SIGKILL, RLIMIT_FSIZE, dropping root) need
// Linux; elsewhere they are not built.
const childEnv = "UNMASK_RECORD_CHILD"

func runChild(mode string) int {
	fmt.Println("child processes are only used on Linux")
	return 2
}

func startChild(t *testing.T, mode, dir string) *exec.Cmd {
	t.Skip("child-process tests need Linux")
	return nil
}
