package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/store"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	dir := filepath.Join(t.TempDir(), "config", "Unmask")
	path := filepath.Join(dir, "unmask.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PutSession(context.Background(), finished("s", t0)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want os.FileMode
	}{
		{dir, 0o700 | os.ModeDir},
		{filepath.Dir(dir), 0o700 | os.ModeDir},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	}
	for _, tt := range tests {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(tt.path), err)
			continue
		}
		if got := fi.Mode() & (os.ModePerm | os.ModeDir); got != tt.want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(tt.path), got, tt.want)
		}
	}
}

func TestReopenKeepsData(t *testing.T) {
	// URI syntax in folder names must not confuse the driver.
	path := filepath.Join(t.TempDir(), "Ana's files #1 ?50% off&x=y", "unmask.db")
	ctx := context.Background()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := finished("s", t0)
	settings := store.Settings{StorageDir: "/mnt/e", RetentionDays: 14, BindLAN: true, Sensitivity: "low"}
	if err := db.PutSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	m, err := db.AddMark(ctx, store.Mark{SessionID: "s", AtMS: 5, Note: "blink"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}

	db, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Session(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, got, s)
	marks, err := db.Marks(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 1 || marks[0].ID != m.ID || marks[0].Note != "blink" || !marks[0].CreatedAt.Equal(m.CreatedAt) {
		t.Errorf("marks after reopen = %+v, want [%+v]", marks, m)
	}
	if gs, err := db.Settings(ctx, store.DefaultSettings("/x")); err != nil || gs != settings {
		t.Errorf("settings after reopen = %+v, %v; want %+v", gs, err, settings)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	checkRoutines(t)
	db, err := store.Open(filepath.Join(t.TempDir(), "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := db.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	if err := db.PutSession(context.Background(), finished("s", t0)); err == nil {
		t.Error("PutSession after Close succeeded")
	}
	if _, err := db.Sessions(context.Background(), 1); err == nil {
		t.Error("Sessions after Close succeeded")
	}
}

func TestUpgradeFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unmask.db")
	ctx := context.Background()
	latest, err := store.LatestVersion()
	if err != nil {
		t.Fatal(err)
	}

	old, err := store.OpenAtVersion(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := store.SchemaVersion(old); err != nil || v != 1 {
		t.Fatalf("old database at version %d, %v; want 1", v, err)
	}
	s := finished("from-v1", t0)
	if err := old.PutSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := old.SaveSettings(ctx, store.Settings{StorageDir: "/old", RetentionDays: 5, Sensitivity: "high"}); err != nil {
		t.Fatal(err)
	}
	if _, err := old.AddMark(ctx, store.Mark{SessionID: s.ID}); err == nil {
		t.Fatal("marks work at version 1: the upgrade below proves nothing")
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := store.SchemaVersion(db); err != nil || v != latest {
		t.Errorf("upgraded to version %d, %v; want %d", v, err, latest)
	}
	got, err := db.Session(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, got, s)
	if gs, err := db.Settings(ctx, store.DefaultSettings("/x")); err != nil || gs.StorageDir != "/old" || gs.RetentionDays != 5 {
		t.Errorf("settings after upgrade = %+v, %v", gs, err)
	}
	if _, err := db.AddMark(ctx, store.Mark{SessionID: s.ID, AtMS: 1}); err != nil {
		t.Errorf("AddMark after upgrade: %v", err)
	}
	// Opening an up-to-date file again changes nothing.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if marks, err := again.Marks(ctx, s.ID); err != nil || len(marks) != 1 {
		t.Errorf("marks after second open = %v, %v; want 1", marks, err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	random := make([]byte, 8192)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	header := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 4080)...)
	tests := []struct {
		name    string
		setup   func(t *testing.T, path string)
		wantErr error // nil: any error
	}{
		{"text file", func(t *testing.T, path string) {
			writeFile(t, path, []byte("These are my interview notes, not a database.\n"))
		}, store.ErrNotDatabase},
		{"random bytes", func(t *testing.T, path string) { writeFile(t, path, random) }, store.ErrNotDatabase},
		{"SQLite header then garbage", func(t *testing.T, path string) { writeFile(t, path, header) }, store.ErrNotDatabase},
		{"another program's SQLite database", func(t *testing.T, path string) {
			raw := rawDB(t, path)
			if _, err := raw.Exec(`CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ana')`); err != nil {
				t.Fatal(err)
			}
			raw.Close()
		}, store.ErrNotDatabase},
		{"SQLite database with another application id", func(t *testing.T, path string) {
			raw := rawDB(t, path)
			if _, err := raw.Exec(`PRAGMA application_id = 1234`); err != nil {
				t.Fatal(err)
			}
			raw.Close()
		}, store.ErrNotDatabase},
		{"a folder", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "unmask.db")
			tt.setup(t, path)
			before := readIfFile(t, path)
			db, err := store.Open(path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			t.Log(err)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			if after := readIfFile(t, path); !bytes.Equal(before, after) {
				t.Error("Open changed a file it refused")
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unmask.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutSession(context.Background(), finished("s", t0)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw := rawDB(t, path)
	if _, err := raw.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err = store.Open(path)
	if err == nil {
		db.Close()
		t.Fatal("Open of a newer database succeeded")
	}
	if !errors.Is(err, store.ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "999") {
		t.Errorf("error %q does not give the file's version", err)
	}
	var v int
	if err := rawDB(t, path).QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != 999 {
		t.Errorf("file version after refusal = %d, %v; want 999 untouched", v, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	checkRoutines(t)
	path := filepath.Join(t.TempDir(), "unmask.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	const workers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				s := finished(fmt.Sprintf("w%d-%03d", w, i), t0.Add(time.Duration(w*each+i)*time.Second))
				if err := db.PutSession(ctx, s); err != nil {
					errs <- fmt.Errorf("worker %d put %d: %w", w, i, err)
					return
				}
				if _, err := db.AddMark(ctx, store.Mark{SessionID: s.ID, AtMS: int64(i)}); err != nil {
					errs <- fmt.Errorf("worker %d mark %d: %w", w, i, err)
					return
				}
				list, err := db.Sessions(ctx, 10)
				if err != nil {
					errs <- fmt.Errorf("worker %d list %d: %w", w, i, err)
					return
				}
				if len(list) == 0 {
					errs <- fmt.Errorf("worker %d: empty list after its own put", w)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, err := db.Sessions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != workers*each {
		t.Errorf("%d sessions, want %d", len(all), workers*each)
	}
	for i := 1; i < len(all); i++ {
		if all[i].StartedAt.After(all[i-1].StartedAt) {
			t.Fatalf("list out of order at %d: %v after %v", i, all[i].StartedAt, all[i-1].StartedAt)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// readIfFile returns path's bytes, or nil for a folder.
func readIfFile(t *testing.T, path string) []byte {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.IsDir() {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
