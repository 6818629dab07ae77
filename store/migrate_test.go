package store

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name     string
		files    fstest.MapFS
		versions []int
		wantErr  string
	}{
		{"in order", fstest.MapFS{"m/0002_b.sql": file("B"), "m/0001_a.sql": file("A")}, []int{1, 2}, ""},
		{"gap", fstest.MapFS{"m/0001_a.sql": file("A"), "m/0003_c.sql": file("C")}, nil, "want version 2"},
		{"repeat", fstest.MapFS{"m/0001_a.sql": file("A"), "m/0001_b.sql": file("B")}, nil, "want version 2"},
		{"starts at 2", fstest.MapFS{"m/0002_b.sql": file("B")}, nil, "want version 1"},
		{"no number", fstest.MapFS{"m/init.sql": file("A")}, nil, "want a name like"},
		{"short number", fstest.MapFS{"m/1_a.sql": file("A")}, nil, "want a name like"},
		{"not sql", fstest.MapFS{"m/0001_a.txt": file("A")}, nil, "want a name like"},
		{"stray file", fstest.MapFS{"m/.keep": file("")}, nil, "want a name like"},
		{"subfolder", fstest.MapFS{"m/sub/0001_a.sql": file("A")}, nil, "want a name like"},
		{"none", fstest.MapFS{"m": &fstest.MapFile{Mode: fs.ModeDir | 0o755}}, nil, "no migrations"},
		{"missing", fstest.MapFS{}, nil, "migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := parseMigrations(tt.files, "m")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.version)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.versions) {
				t.Errorf("versions = %v, want %v", got, tt.versions)
			}
		})
	}
}

func TestEmbeddedMigrations(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 {
		t.Fatalf("%d migrations, want at least 2", len(ms))
	}
	// The first migration marks the file; Open checks for the same number.
	if want := fmt.Sprintf("PRAGMA application_id = %d;", appID); !strings.Contains(ms[0].sql, want) {
		t.Errorf("%s does not contain %q", ms[0].name, want)
	}
}
