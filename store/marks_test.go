package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/store"
)

func TestMarksRoundTripAndOrder(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.PutSession(ctx, finished("s", t0)); err != nil {
		t.Fatal(err)
	}
	in := []store.Mark{
		{SessionID: "s", AtMS: 90_000, Note: "lips lag the voice"},
		{SessionID: "s", AtMS: 1_500, Note: "", Evidence: "frames/000045.jpg"},
		{SessionID: "s", AtMS: 90_000, Note: "same moment, second note — ünïcödé"},
		{SessionID: "s", AtMS: 0, Note: strings.Repeat("x", store.MaxNoteBytes), ID: 999, CreatedAt: t0},
	}
	before := time.Now().Truncate(time.Millisecond)
	var added []store.Mark
	for _, m := range in {
		got, err := db.AddMark(ctx, m)
		if err != nil {
			t.Fatalf("AddMark(%.20q): %v", m.Note, err)
		}
		added = append(added, got)
	}
	after := time.Now()
	seen := map[int64]bool{}
	for i, m := range added {
		if m.ID <= 0 || seen[m.ID] {
			t.Errorf("mark %d: ID %d, want a new positive id", i, m.ID)
		}
		seen[m.ID] = true
		if m.CreatedAt.Before(before) || m.CreatedAt.After(after) || m.CreatedAt.Location() != time.UTC {
			t.Errorf("mark %d: CreatedAt %v, want UTC between %v and %v", i, m.CreatedAt, before, after)
		}
		if m.SessionID != in[i].SessionID || m.AtMS != in[i].AtMS || m.Note != in[i].Note || m.Evidence != in[i].Evidence {
			t.Errorf("mark %d: AddMark returned %+v for %+v", i, m, in[i])
		}
	}

	got, err := db.Marks(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	// By time; the two at 90 s in the order they were added.
	want := []store.Mark{added[3], added[1], added[0], added[2]}
	if len(got) != len(want) {
		t.Fatalf("%d marks, want %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].CreatedAt.Equal(want[i].CreatedAt) {
			t.Errorf("mark %d CreatedAt = %v, want %v", i, got[i].CreatedAt, want[i].CreatedAt)
		}
		got[i].CreatedAt, want[i].CreatedAt = time.Time{}, time.Time{}
		if got[i] != want[i] {
			t.Errorf("mark %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestAddMarkInvalid(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if err := db.PutSession(ctx, finished("s", t0)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		m    store.Mark
	}{
		{"no session", store.Mark{AtMS: 1}},
		{"negative time", store.Mark{SessionID: "s", AtMS: -1}},
		{"note over 4 KiB", store.Mark{SessionID: "s", Note: strings.Repeat("x", store.MaxNoteBytes+1)}},
		{"multi-byte note over 4 KiB", store.Mark{SessionID: "s", Note: strings.Repeat("é", store.MaxNoteBytes/2+1)}},
		{"evidence path over 4 KiB", store.Mark{SessionID: "s", Evidence: strings.Repeat("a/", 2049)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.AddMark(ctx, tt.m); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
	marks, err := db.Marks(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 0 {
		t.Errorf("refused marks were stored: %+v", marks)
	}
}

func TestDeleteSessionCascadesToMarks(t *testing.T) {
	db, path := openTemp(t)
	ctx := context.Background()
	for _, id := range []string{"gone", "kept"} {
		if err := db.PutSession(ctx, finished(id, t0)); err != nil {
			t.Fatal(err)
		}
		for _, at := range []int64{10, 20, 30} {
			if _, err := db.AddMark(ctx, store.Mark{SessionID: id, AtMS: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.DeleteSession(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Session(ctx, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Session after delete: err = %v, want ErrNotFound", err)
	}
	if err := db.DeleteSession(ctx, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	kept, err := db.Marks(ctx, "kept")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(kept); got != 3 {
		t.Errorf("the other session has %d marks, want 3", got)
	}
	// The rows themselves are gone, not just hidden behind the session.
	var n int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM marks WHERE session_id = 'gone'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d marks of the deleted session remain", n)
	}
	// A new session reusing the id starts with none.
	if err := db.PutSession(ctx, finished("gone", t0)); err != nil {
		t.Fatal(err)
	}
	again, err := db.Marks(ctx, "gone")
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("a session reusing a deleted id inherited %d marks", len(again))
	}
	// Ids are never reused, so an old id cannot point at a new mark.
	m, err := db.AddMark(ctx, store.Mark{SessionID: "gone", AtMS: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID <= 6 || slices.ContainsFunc(kept, func(k store.Mark) bool { return k.ID == m.ID }) {
		t.Errorf("new mark id %d reuses an earlier one", m.ID)
	}
}
