package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/internal/facerec"
	"github.com/unmaskhq/unmask/models"
)

// tarball is where build/models.sh caches the npm tarball.
func tarball(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "build", "cache", facerec.Tarball)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%v; run `make models`", err)
	}
	return p
}

// TestConvertMatchesRegistry converts the real tarball and checks the
// result against the size and SHA-256 the registry pins: the conversion
// is deterministic, and a change to it shows up here before users see a
// model that fails verification.
func TestConvertMatchesRegistry(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-tarball", tarball(t), "-out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	m, err := models.New(models.Known, "").Model(models.FaceRecognition)
	if err != nil {
		t.Fatal(err)
	}
	reg := models.New([]models.Model{m}, dir, models.WithGeneratedDirs())
	if _, err := reg.Path(models.FaceRecognition); err != nil {
		t.Errorf("generated model does not verify: %v (stdout %q)", err, stdout.String())
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestRunRejects(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "other.tgz")
	os.WriteFile(bad, []byte("not the package"), 0o644)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no arguments", nil, 2, "usage"},
		{"stray argument", []string{"-tarball", bad, "-out", t.TempDir(), "x"}, 2, "usage"},
		{"wrong tarball", []string{"-tarball", bad, "-out", t.TempDir()}, 1, "sha256"},
		{"missing tarball", []string{"-tarball", bad + ".none", "-out", t.TempDir()}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.wantCode || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("exit %d stderr %q, want %d and %q", code, stderr.String(), tt.wantCode, tt.wantErr)
			}
		})
	}
}
