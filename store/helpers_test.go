package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/store"
)

// t0 has a millisecond part, so a round trip that dropped it would show.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

// openTemp opens a fresh database closed at the end of the test.
func openTemp(tb testing.TB) (*store.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "unmask.db")
	db, err := store.Open(path)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

// finished is a complete file session that started at start.
func finished(id string, start time.Time) store.Session {
	return store.Session{
		ID:          id,
		Kind:        store.KindFile,
		Title:       "Interview " + id,
		Source:      "/home/ana/clips/" + id + ".mp4",
		Folder:      "/home/ana/Unmask/" + id,
		StartedAt:   start,
		EndedAt:     start.Add(42*time.Minute + 7*time.Millisecond),
		Risk:        0.37,
		Level:       store.LevelMedium,
		Frames:      75_600,
		Dropped:     12,
		ReportPath:  "/home/ana/Unmask/" + id + "/report.pdf",
		InputSHA256: fmt.Sprintf("%064x", len(id)),
	}
}

// sameSession reports how got differs from want: times by instant and in
// UTC, the rest field by field.
func sameSession(tb testing.TB, got, want store.Session) {
	tb.Helper()
	if !got.StartedAt.Equal(want.StartedAt) || !got.EndedAt.Equal(want.EndedAt) {
		tb.Errorf("times = %v..%v, want %v..%v", got.StartedAt, got.EndedAt, want.StartedAt, want.EndedAt)
	}
	if !got.StartedAt.IsZero() && got.StartedAt.Location() != time.UTC {
		tb.Errorf("StartedAt location = %v, want UTC", got.StartedAt.Location())
	}
	got.StartedAt, got.EndedAt, want.StartedAt, want.EndedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		tb.Errorf("session =\n %+v\nwant\n %+v", got, want)
	}
}

func ids(ss []store.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}

// rawDB opens the file with the driver directly, to set up what the store
// API would refuse to write.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// checkRoutines fails the test if it leaves goroutines running shortly
// after it ends (pion's test.CheckRoutines, simplified).
func checkRoutines(tb testing.TB) {
	tb.Helper()
	before := runtime.NumGoroutine()
	tb.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			tb.Errorf("goroutines: %d after the test, %d before", n, before)
		}
	})
}
