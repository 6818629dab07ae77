package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/store"
)

func openDB(t *testing.T) (*store.DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func TestSettingsDefaultsSaveAndValidation(t *testing.T) {
	db, dir := openDB(t)
	svc := app.NewSettingsService(db, dir)
	st, err := svc.Get()
	if err != nil {
		t.Fatal(err)
	}
	if st.StorageDir != dir || st.BindLAN || st.RetentionDays != 0 || st.Sensitivity != "normal" {
		t.Fatalf("defaults = %+v", st)
	}
	if got := svc.CasesDir(); got != filepath.Join(dir, "cases") {
		t.Errorf("CasesDir = %q", got)
	}
	other := filepath.Join(dir, "elsewhere", "evidence")
	st.StorageDir, st.RetentionDays, st.Sensitivity = other, 30, "high"
	saved, err := svc.Save(st)
	if err != nil {
		t.Fatal(err)
	}
	if saved != st {
		t.Errorf("saved %+v, want %+v", saved, st)
	}
	if fi, err := os.Stat(other); err != nil || !fi.IsDir() {
		t.Errorf("the storage folder was not created: %v", err)
	}
	// A new service over the same database reads what was saved.
	if got, _ := app.NewSettingsService(db, dir).Get(); got != st {
		t.Errorf("after reopening: %+v, want %+v", got, st)
	}
	for _, bad := range []store.Settings{
		{StorageDir: "relative/path", Sensitivity: "normal"},
		{StorageDir: dir, RetentionDays: -1, Sensitivity: "normal"},
		{StorageDir: dir, Sensitivity: "paranoid"},
	} {
		if _, err := svc.Save(bad); err == nil {
			t.Errorf("Save(%+v) accepted", bad)
		}
	}
	if got, _ := svc.Get(); got != st {
		t.Errorf("a refused save changed the settings to %+v", got)
	}
}

func TestSessionsListDeleteAndRetention(t *testing.T) {
	db, dir := openDB(t)
	settings := app.NewSettingsService(db, dir)
	svc := app.NewSessionService(db, settings, nil)
	life := app.NewLifecycle([]app.Service{settings, svc}, app.WithRuntime((&recorder{}).runtime))
	life.Startup(t.Context())
	defer life.Shutdown(t.Context())

	now := time.Now().UTC().Truncate(time.Millisecond)
	inside := filepath.Join(dir, "cases", "old")
	outside := t.TempDir() // a folder the user chose elsewhere: never deleted
	os.MkdirAll(inside, 0o700)
	for _, s := range []store.Session{
		{ID: "old", Kind: "file", Title: "old.mp4", Folder: inside, StartedAt: now.Add(-40 * 24 * time.Hour), EndedAt: now.Add(-40 * 24 * time.Hour), Level: "low"},
		{ID: "outside", Kind: "file", Title: "x.mp4", Folder: outside, StartedAt: now.Add(-50 * 24 * time.Hour), EndedAt: now.Add(-50 * 24 * time.Hour), Level: "high", Risk: 0.9},
		{ID: "new", Kind: "live", Title: "Interview", StartedAt: now.Add(-time.Hour), EndedAt: now, Level: "medium", Risk: 0.5},
		{ID: "running", Kind: "live", Title: "Now", StartedAt: now},
	} {
		if err := db.PutSession(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	// "running" was added after this window started: still running.
	list, err := svc.List()
	if err != nil || len(list) != 4 || list[0].ID != "running" || !list[0].EndedAt.IsZero() {
		t.Fatalf("List = %v, %v", list, err)
	}
	if _, err := db.AddMark(t.Context(), store.Mark{SessionID: "new", AtMS: 1500, Note: "looked away"}); err != nil {
		t.Fatal(err)
	}
	if marks, err := svc.Marks("new"); err != nil || len(marks) != 1 || marks[0].Note != "looked away" {
		t.Fatalf("Marks = %v, %v", marks, err)
	}

	// Retention of 30 days deletes the two old sessions, but only the
	// folder inside the storage folder.
	st, _ := settings.Get()
	st.RetentionDays = 30
	if _, err := settings.Save(st); err != nil {
		t.Fatal(err)
	}
	list, _ = svc.List()
	ids := []string{}
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "running,new" {
		t.Errorf("after retention: %v, want running,new", ids)
	}
	if _, err := os.Stat(inside); !os.IsNotExist(err) {
		t.Errorf("the expired session's folder is still there: %v", err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("a folder outside the storage folder was deleted: %v", err)
	}
	if err := svc.Delete("new"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete("new"); err == nil {
		t.Error("deleting twice: no error")
	}
}

func TestSessionsLeftRunningByAnEarlierRunAreEnded(t *testing.T) {
	db, dir := openDB(t)
	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)
	if err := db.PutSession(t.Context(), store.Session{ID: "killed", Kind: "live", Title: "Interview", StartedAt: start}); err != nil {
		t.Fatal(err)
	}
	settings := app.NewSettingsService(db, dir)
	svc := app.NewSessionService(db, settings, nil)
	life := app.NewLifecycle([]app.Service{settings, svc}, app.WithRuntime((&recorder{}).runtime))
	life.Startup(t.Context())
	defer life.Shutdown(t.Context())
	s, err := db.Session(t.Context(), "killed")
	if err != nil || !s.EndedAt.Equal(start) || s.Level != "" {
		t.Errorf("after a restart: %+v, %v; want it ended at its start, unrated", s, err)
	}
}
