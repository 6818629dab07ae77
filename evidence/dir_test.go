package evidence_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/evidence"
)

func TestCommitNeverOverwrites(t *testing.T) {
	d, err := evidence.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.WriteFile("a.txt", []byte("first")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.WriteFile("a.txt", []byte("second")); !errors.Is(err, evidence.ErrExists) {
		t.Fatalf("second write: err = %v, want ErrExists", err)
	}
	// A race: two files created before either commits; the loser must fail.
	f1, _ := d.Create("b.txt")
	f2, _ := d.Create("b.txt")
	f1.Write([]byte("one"))
	f2.Write([]byte("two"))
	if _, err := f1.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := f2.Commit(); !errors.Is(err, evidence.ErrExists) {
		t.Fatalf("racing commit: err = %v, want ErrExists", err)
	}
	b, _ := os.ReadFile(filepath.Join(d.Path(), "b.txt"))
	if string(b) != "one" {
		t.Errorf("b.txt = %q, want the first commit", b)
	}
	entries, _ := os.ReadDir(d.Path())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestManifestAndVerify(t *testing.T) {
	dir := t.TempDir()
	d, _ := evidence.Open(dir)
	d.WriteFile("x.json", []byte(`{"a":1}`))
	f, _ := d.Create("aborted.bin")
	f.Write([]byte("junk"))
	f.Abort()
	m, err := d.Finish("test", map[string]string{"input_sha256": "abc"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 1 || m.Files[0].Name != "x.json" || m.Files[0].Size != 7 {
		t.Fatalf("manifest files = %+v", m.Files)
	}
	if _, err := evidence.Verify(dir); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "aborted.bin")); !os.IsNotExist(err) {
		t.Errorf("aborted file exists")
	}
	if _, err := evidence.Open(dir); !errors.Is(err, evidence.ErrExists) {
		t.Errorf("reopening a finished set: err = %v, want ErrExists", err)
	}
	os.WriteFile(filepath.Join(dir, "x.json"), []byte(`{"a":2}`), 0o644)
	if _, err := evidence.Verify(dir); err == nil {
		t.Error("Verify after tampering: want error")
	}
}

func TestBadNamesAndUnwritableDir(t *testing.T) {
	d, _ := evidence.Open(t.TempDir())
	for _, n := range []string{"", "../x", "a/b", ".hidden", evidence.ManifestName} {
		if _, err := d.Create(n); err == nil {
			t.Errorf("Create(%q): want error", n)
		}
	}
	if os.Geteuid() == 0 {
		// root writes anywhere; use a path under a regular file instead.
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, nil, 0o644)
		if _, err := evidence.Open(filepath.Join(f, "sub")); err == nil {
			t.Error("Open under a file: want error")
		}
		return
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	if _, err := evidence.Open(ro); err == nil {
		t.Error("Open read-only dir: want error")
	}
}
