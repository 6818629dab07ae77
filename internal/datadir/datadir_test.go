package datadir_test

import (
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/internal/datadir"
)

func TestDefault(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/x")
	if got := datadir.Default(); got != filepath.Join("/data/x", "unmask") {
		t.Errorf("with XDG_DATA_HOME: %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ada")
	if got := datadir.Default(); got != "/home/ada/.local/share/unmask" {
		t.Errorf("with HOME: %q", got)
	}
}
