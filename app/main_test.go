package app_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/internal/matleak"
)

// analyzer is the `unmask` binary the review tests run, built once.
var analyzer string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "unmask-app")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	analyzer = filepath.Join(dir, "unmask")
	build := exec.Command("go", "build", "-o", analyzer, "../cmd/unmask")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build unmask:", err)
		os.Exit(1)
	}
	code := matleak.Run(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

func analyzerBin(testing.TB) string { return analyzer }

func itoa(i int) string { return strconv.Itoa(i) }

// runtime returns r as the Runtime of a window (app.WithRuntime).
func (r *recorder) runtime(context.Context) app.Runtime { return r }

func (r *recorder) OpenFile(string, []string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pick, nil
}

func (r *recorder) OpenDirectory(string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pick, nil
}

// freePort returns a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
