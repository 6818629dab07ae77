package models_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/models"
)

func writeModel(t *testing.T, dir, name string, content []byte) models.Model {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	return models.Model{Name: "m", File: name, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]),
		Package: "some-pkg", SystemPaths: []string{p}}
}

func TestRegistryFindsAndVerifies(t *testing.T) {
	dir := t.TempDir()
	good := writeModel(t, dir, "a.dat", []byte("model bytes"))

	tests := []struct {
		name    string
		model   models.Model
		envDir  string
		wantErr error
		wantMsg string
	}{
		{name: "system path", model: good},
		{name: "missing names the package", model: func() models.Model {
			m := good
			m.SystemPaths = []string{filepath.Join(dir, "nope.dat")}
			return m
		}(), wantErr: models.ErrMissing, wantMsg: "apt-get install some-pkg"},
		{name: "size mismatch", model: func() models.Model { m := good; m.Size++; return m }(),
			wantErr: models.ErrMismatch, wantMsg: "reinstall some-pkg"},
		{name: "hash mismatch", model: func() models.Model {
			m := good
			m.SHA256 = strings.Repeat("0", 64)
			return m
		}(), wantErr: models.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := models.New([]models.Model{tt.model}, tt.envDir)
			p, err := r.Path("m")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Path err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
			if err == nil && p != tt.model.SystemPaths[0] {
				t.Errorf("path = %q, want %q", p, tt.model.SystemPaths[0])
			}
			st := r.Check()
			if len(st) != 1 || st[0].OK != (err == nil) {
				t.Errorf("Check = %+v, want OK=%v", st, err == nil)
			}
		})
	}
}

func TestRegistryOverrideDirComesFirstAndIsVerified(t *testing.T) {
	sys := t.TempDir()
	m := writeModel(t, sys, "a.dat", []byte("model bytes"))
	env := t.TempDir()

	// A valid copy in the override directory wins.
	if err := os.WriteFile(filepath.Join(env, "a.dat"), []byte("model bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := models.New([]models.Model{m}, env).Path("m")
	if err != nil || p != filepath.Join(env, "a.dat") {
		t.Fatalf("Path = %q, %v; want the override copy", p, err)
	}
	// A corrupted override is an error, never a silent fall-through.
	if err := os.WriteFile(filepath.Join(env, "a.dat"), []byte("model bytez"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := models.New([]models.Model{m}, env).Path("m"); !errors.Is(err, models.ErrMismatch) {
		t.Fatalf("corrupted override: err = %v, want ErrMismatch", err)
	}
}

func TestRegistryUnknown(t *testing.T) {
	if _, err := models.New(nil, "").Path("x"); !errors.Is(err, models.ErrUnknown) {
		t.Fatalf("err = %v, want ErrUnknown", err)
	}
}

func TestBundledMeanFace(t *testing.T) {
	b, err := models.New(models.Known, "").Bytes(models.MeanFace3D)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"landmark": 30`) {
		t.Errorf("mean face lacks the nose tip")
	}
	if _, err := models.New(models.Known, "").Path(models.MeanFace3D); err == nil {
		t.Errorf("Path of bundled data should fail")
	}
}

// TestKnownModelsInstalled checks this machine's packages against the
// registry: build/setup.sh installs them, so a failure here means the
// packaged files changed and the registry must be reviewed.
func TestKnownModelsInstalled(t *testing.T) {
	for _, st := range models.New(models.Known, "").Check() {
		if !st.OK {
			t.Errorf("%s: %s", st.Name, st.Error)
		}
	}
}

func BenchmarkVerifyLandmarks68(b *testing.B) {
	for i := 0; i < b.N; i++ {
		r := models.New(models.Known, "")
		if _, err := r.Path(models.Landmarks68); err != nil {
			b.Fatal(err)
		}
	}
}
