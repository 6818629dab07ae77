package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/store"
)

func TestSessionRoundTrip(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	running := finished("live-1", t0)
	running.Kind, running.EndedAt, running.Level, running.Risk = store.KindLive, time.Time{}, "", 0
	running.Source = "https://interview.example/c/abc?token=x#y"
	odd := finished("cam-ünïcödé 🎥", t0.In(berlin).Add(123_456*time.Nanosecond))
	odd.Kind, odd.Level, odd.Risk = store.KindCamera, store.LevelHigh, 1
	odd.Title = "Ana's interview — 'quoted' \"double\"; DROP TABLE sessions;--"

	tests := []struct {
		name string
		in   store.Session
		want store.Session
	}{
		{"finished file", finished("f-1", t0), finished("f-1", t0)},
		{"running live session keeps zero end", running, running},
		{"other zone and sub-millisecond truncate to UTC ms", odd, func() store.Session {
			w := odd
			w.StartedAt = t0.Truncate(time.Millisecond)
			w.EndedAt = t0.Add(42*time.Minute + 7*time.Millisecond)
			return w
		}()},
	}
	db, _ := openTemp(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.PutSession(ctx, tt.in); err != nil {
				t.Fatal(err)
			}
			got, err := db.Session(ctx, tt.in.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameSession(t, got, tt.want)
			if !tt.want.EndedAt.IsZero() && got.EndedAt.Location() != time.UTC {
				t.Errorf("EndedAt location = %v, want UTC", got.EndedAt.Location())
			}
		})
	}
}

func TestPutSessionUpdates(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	s := finished("s", t0)
	s.EndedAt, s.Level, s.Risk, s.ReportPath = time.Time{}, "", 0, ""
	if err := db.PutSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	done := finished("s", t0)
	done.Title = "renamed"
	if err := db.PutSession(ctx, done); err != nil {
		t.Fatal(err)
	}
	got, err := db.Session(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	sameSession(t, got, done)
	all, err := db.Sessions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("%d sessions after two puts of one id, want 1", len(all))
	}
}

func TestPutSessionInvalid(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*store.Session)
	}{
		{"no id", func(s *store.Session) { s.ID = "" }},
		{"no kind", func(s *store.Session) { s.Kind = "" }},
		{"unknown kind", func(s *store.Session) { s.Kind = "screen" }},
		{"unknown level", func(s *store.Session) { s.Level = "critical" }},
		{"level in capitals", func(s *store.Session) { s.Level = "High" }},
		{"no start", func(s *store.Session) { s.StartedAt = time.Time{} }},
		{"ends before start", func(s *store.Session) { s.EndedAt = s.StartedAt.Add(-time.Second) }},
		{"risk NaN", func(s *store.Session) { s.Risk = math.NaN() }},
		{"risk above 1", func(s *store.Session) { s.Risk = 1.01 }},
		{"risk negative", func(s *store.Session) { s.Risk = -0.1 }},
		{"negative frames", func(s *store.Session) { s.Frames = -1 }},
		{"negative dropped", func(s *store.Session) { s.Dropped = -1 }},
	}
	db, _ := openTemp(t)
	ctx := context.Background()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := finished(fmt.Sprint("bad-", i), t0)
			tt.modify(&s)
			if err := db.PutSession(ctx, s); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("PutSession: err = %v, want ErrInvalid", err)
			}
			if s.ID == "" {
				return
			}
			if _, err := db.Session(ctx, s.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("refused session was stored: Session err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestSessionNotFound(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.PutSession(ctx, finished("kept", t0)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"Session", func() error { _, err := db.Session(ctx, "missing"); return err }},
		{"DeleteSession", func() error { return db.DeleteSession(ctx, "missing") }},
		{"Marks", func() error { _, err := db.Marks(ctx, "missing"); return err }},
		{"AddMark", func() error { _, err := db.AddMark(ctx, store.Mark{SessionID: "missing"}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
	}
	if _, err := db.Session(ctx, "kept"); err != nil {
		t.Errorf("a miss disturbed another session: %v", err)
	}
}

func TestSessionsOrderAndLimit(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	// Put out of order; b and c share a start, so the id breaks the tie.
	starts := map[string]time.Duration{"d": 0, "a": 3 * time.Hour, "c": time.Hour, "e": time.Millisecond, "b": time.Hour}
	for _, id := range []string{"c", "a", "e", "d", "b"} {
		if err := db.PutSession(ctx, finished(id, t0.Add(starts[id]))); err != nil {
			t.Fatal(err)
		}
	}
	order := []string{"a", "b", "c", "e", "d"}
	tests := []struct {
		limit int
		want  []string
	}{
		{-1, order},
		{0, order},
		{1, order[:1]},
		{3, order[:3]},
		{5, order},
		{100, order},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("limit ", tt.limit), func(t *testing.T) {
			got, err := db.Sessions(ctx, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("Sessions(%d) = %v, want %v", tt.limit, ids(got), tt.want)
			}
		})
	}
}

func TestEmptyListsAreNotNil(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	all, err := db.Sessions(ctx, 10)
	if err != nil || all == nil || len(all) != 0 {
		t.Errorf("Sessions on an empty database = %#v, %v; want [] (the window expects a list)", all, err)
	}
	exp, err := db.Expired(ctx, t0, 30)
	if err != nil || exp == nil || len(exp) != 0 {
		t.Errorf("Expired on an empty database = %#v, %v; want []", exp, err)
	}
	if err := db.PutSession(ctx, finished("s", t0)); err != nil {
		t.Fatal(err)
	}
	marks, err := db.Marks(ctx, "s")
	if err != nil || marks == nil || len(marks) != 0 {
		t.Errorf("Marks of a session without marks = %#v, %v; want []", marks, err)
	}
}

func TestExpired(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	now := t0.Add(365 * 24 * time.Hour)
	day := 24 * time.Hour
	ended := func(id string, ago time.Duration) store.Session {
		s := finished(id, now.Add(-ago-time.Hour))
		s.EndedAt = now.Add(-ago)
		return s
	}
	running := finished("running", now.Add(-400*day))
	running.EndedAt = time.Time{}
	for _, s := range []store.Session{
		ended("40d", 40*day),
		ended("1d", day),
		running,
		ended("30d", 30*day), // exactly 30 days: not older than 30
		ended("30d+1ms", 30*day+time.Millisecond),
		ended("31d", 31*day),
	} {
		if err := db.PutSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		days int
		want []string
	}{
		{0, nil},
		{30, []string{"40d", "31d", "30d+1ms"}},
		{35, []string{"40d"}},
		{1, []string{"40d", "31d", "30d+1ms", "30d"}},
		{3650, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.days, " days"), func(t *testing.T) {
			got, err := db.Expired(ctx, now, tt.days)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && !slices.Equal(ids(got), tt.want)) {
				t.Errorf("Expired(%d) = %v, want %v", tt.days, ids(got), tt.want)
			}
		})
	}
	if _, err := db.Expired(ctx, now, -1); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Expired(-1): err = %v, want ErrInvalid", err)
	}
}
