package app_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/models"
)

// fakeChecker returns fixed statuses.
type fakeChecker []models.Status

func (f fakeChecker) Check() []models.Status { return f }

func TestStatusServiceModelStatusRegistry(t *testing.T) {
	s := app.NewStatusService(models.Default())
	got, err := s.ModelStatus()
	if err != nil {
		t.Fatalf("ModelStatus: %v", err)
	}
	want := make([]string, 0, len(models.Known))
	for _, m := range models.Known {
		want = append(want, m.Name)
	}
	slices.Sort(want)
	names := make([]string, 0, len(got))
	for _, st := range got {
		names = append(names, st.Name)
		if !st.OK && st.Error == "" {
			t.Errorf("%s: not OK but no error message", st.Name)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("ModelStatus names = %v, want one per registry model %v", names, want)
	}
}

func TestStatusServiceModelStatus(t *testing.T) {
	ok := models.Status{Model: models.Model{Name: "a"}, OK: true}
	bad := models.Status{Model: models.Model{Name: "b"}, Error: "missing"}
	tests := []struct {
		name    string
		checker fakeChecker
		wantLen int
		wantErr error
	}{
		{"all ok", fakeChecker{ok}, 1, nil},
		{"one missing", fakeChecker{ok, bad}, 2, nil},
		{"empty registry", fakeChecker{}, 0, app.ErrNoModels},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := app.NewStatusService(tt.checker).ModelStatus()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ModelStatus error = %v, want %v", err, tt.wantErr)
			}
			if len(got) != tt.wantLen {
				t.Errorf("ModelStatus returned %d entries, want %d", len(got), tt.wantLen)
			}
		})
	}
}

func TestStatusServiceVersion(t *testing.T) {
	got := app.NewStatusService(fakeChecker{}).Version()
	if got == "" {
		t.Fatal("Version is empty")
	}
	if got != version.Version {
		t.Errorf("Version = %q, want %q", got, version.Version)
	}
}
