package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/store"
)

func TestDefaultSettings(t *testing.T) {
	got := store.DefaultSettings("/home/ana/Unmask")
	want := store.Settings{StorageDir: "/home/ana/Unmask", RetentionDays: 0, BindLAN: false, Sensitivity: "normal"}
	if got != want {
		t.Errorf("DefaultSettings = %+v, want %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestSettingsValidate(t *testing.T) {
	ok := store.DefaultSettings("/data/unmask")
	tests := []struct {
		name    string
		modify  func(*store.Settings)
		wantErr []string // parts of the message; none: valid
	}{
		{"defaults", func(*store.Settings) {}, nil},
		{"all set", func(s *store.Settings) { s.RetentionDays, s.BindLAN, s.Sensitivity = 90, true, "high" }, nil},
		{"low", func(s *store.Settings) { s.Sensitivity = "low" }, nil},
		{"ten years", func(s *store.Settings) { s.RetentionDays = 3650 }, nil},
		{"relative folder", func(s *store.Settings) { s.StorageDir = "Unmask" }, []string{"absolute"}},
		{"no folder", func(s *store.Settings) { s.StorageDir = "" }, []string{"absolute"}},
		{"negative retention", func(s *store.Settings) { s.RetentionDays = -1 }, []string{"retention"}},
		{"retention over ten years", func(s *store.Settings) { s.RetentionDays = 3651 }, []string{"retention"}},
		{"unknown sensitivity", func(s *store.Settings) { s.Sensitivity = "paranoid" }, []string{"sensitivity"}},
		{"no sensitivity", func(s *store.Settings) { s.Sensitivity = "" }, []string{"sensitivity"}},
		{"every problem reported", func(s *store.Settings) { *s = store.Settings{RetentionDays: -5} },
			[]string{"absolute", "retention", "sensitivity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.modify(&s)
			err := s.Validate()
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", s, err)
				}
				return
			}
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("Validate(%+v) = %v, want ErrInvalid", s, err)
			}
			for _, part := range tt.wantErr {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %q", err, part)
				}
			}
		})
	}
}

func TestSettingsSaveAndLoad(t *testing.T) {
	db, path := openTemp(t)
	ctx := context.Background()
	defaults := store.DefaultSettings("/home/ana/Unmask")

	got, err := db.Settings(ctx, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if got != defaults {
		t.Errorf("never saved: Settings = %+v, want the defaults %+v", got, defaults)
	}

	saved := store.Settings{StorageDir: "/mnt/evidence", RetentionDays: 30, BindLAN: true, Sensitivity: "high"}
	if err := db.SaveSettings(ctx, saved); err != nil {
		t.Fatal(err)
	}
	if got, err = db.Settings(ctx, defaults); err != nil || got != saved {
		t.Errorf("after save: Settings = %+v, %v; want %+v", got, err, saved)
	}

	// Saving false and 0 must override defaults that are true or non-zero.
	zeroes := store.Settings{StorageDir: "/mnt/evidence", Sensitivity: "low"}
	if err := db.SaveSettings(ctx, zeroes); err != nil {
		t.Fatal(err)
	}
	truthy := store.Settings{StorageDir: "/x", RetentionDays: 7, BindLAN: true, Sensitivity: "high"}
	if got, err = db.Settings(ctx, truthy); err != nil || got != zeroes {
		t.Errorf("saved zero values: Settings = %+v, %v; want %+v", got, err, zeroes)
	}

	bad := saved
	bad.Sensitivity = "paranoid"
	if err := db.SaveSettings(ctx, bad); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveSettings(invalid): err = %v, want ErrInvalid", err)
	}
	if got, err = db.Settings(ctx, defaults); err != nil || got != zeroes {
		t.Errorf("after a refused save: Settings = %+v, %v; want the earlier %+v", got, err, zeroes)
	}

	// A setting never saved (say, added by a later build) takes its
	// default; a key this build does not know is ignored.
	raw := rawDB(t, path)
	if _, err := raw.Exec(`DELETE FROM settings WHERE key = 'retentionDays'`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO settings (key, value) VALUES ('futureOption', '{"x":1}')`); err != nil {
		t.Fatal(err)
	}
	want := zeroes
	want.RetentionDays = 99
	withRetention := defaults
	withRetention.RetentionDays = 99
	if got, err = db.Settings(ctx, withRetention); err != nil || got != want {
		t.Errorf("one key missing: Settings = %+v, %v; want %+v", got, err, want)
	}

	// Values edited outside the app are refused, not used.
	for _, edit := range []string{
		`UPDATE settings SET value = '"paranoid"' WHERE key = 'sensitivity'`,
		`UPDATE settings SET value = '"yes"' WHERE key = 'bindLAN'`,
	} {
		if err := db.SaveSettings(ctx, zeroes); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(edit); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Settings(ctx, defaults); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("after %s: err = %v, want ErrInvalid", edit, err)
		}
	}
}
