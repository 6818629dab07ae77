package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// ManifestName is the manifest's file name inside a Dir.
const ManifestName = "manifest.json"

// Entry is one committed file in the manifest.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest lists a directory's files with their hashes.
type Manifest struct {
	Schema  int               `json:"schema"`
	Created time.Time         `json:"created"`
	Tool    string            `json:"tool"`
	Meta    map[string]string `json:"meta,omitempty"`
	Files   []Entry           `json:"files"`
}

// Dir is an output directory for evidence.
type Dir struct {
	path string
	mu   sync.Mutex
	done []Entry
}

// Open creates path (and parents) if needed and returns it as a Dir. It
// refuses a directory that already holds a manifest: a finished evidence
// set is never added to or overwritten.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("evidence: create %s: %w", path, err)
	}
	if _, err := os.Stat(filepath.Join(path, ManifestName)); err == nil {
		return nil, fmt.Errorf("%w: %s already holds a finished evidence set", ErrExists, path)
	}
	probe, err := os.CreateTemp(path, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("evidence: %s is not writable: %w", path, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return &Dir{path: path}, nil
}

// Path returns the directory.
func (d *Dir) Path() string { return d.path }

// File is an evidence file being written. Write to it, then Commit or Abort.
type File struct {
	d     *Dir
	name  string
	tmp   *os.File
	h     hash.Hash
	n     int64
	ended bool
}

// Create starts writing name (a plain file name). It fails early with
// ErrExists when name is already committed.
func (d *Dir) Create(name string) (*File, error) {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") || name == ManifestName {
		return nil, fmt.Errorf("evidence: bad file name %q", name)
	}
	if _, err := os.Lstat(filepath.Join(d.path, name)); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, filepath.Join(d.path, name))
	}
	tmp, err := os.CreateTemp(d.path, "."+name+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("evidence: create %s: %w", name, err)
	}
	return &File{d: d, name: name, tmp: tmp, h: sha256.New()}, nil
}

// Write appends p to the file and the running hash.
func (f *File) Write(p []byte) (int, error) {
	if f.ended {
		return 0, fs.ErrClosed
	}
	n, err := f.tmp.Write(p)
	f.h.Write(p[:n])
	f.n += int64(n)
	return n, err
}

// Commit fsyncs the file, gives it its final name without overwriting
// anything, fsyncs the directory and records it for the manifest.
func (f *File) Commit() (Entry, error) {
	if f.ended {
		return Entry{}, fs.ErrClosed
	}
	f.ended = true
	tmpName := f.tmp.Name()
	defer os.Remove(tmpName) // after a successful link this removes only the temp name
	if err := f.tmp.Sync(); err != nil {
		f.tmp.Close()
		return Entry{}, fmt.Errorf("evidence: sync %s: %w", f.name, err)
	}
	if err := f.tmp.Close(); err != nil {
		return Entry{}, fmt.Errorf("evidence: close %s: %w", f.name, err)
	}
	final := filepath.Join(f.d.path, f.name)
	if err := os.Link(tmpName, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Entry{}, fmt.Errorf("%w: %s", ErrExists, final)
		}
		return Entry{}, fmt.Errorf("evidence: commit %s: %w", f.name, err)
	}
	if err := syncDir(f.d.path); err != nil {
		return Entry{}, err
	}
	e := Entry{Name: f.name, Size: f.n, SHA256: hex.EncodeToString(f.h.Sum(nil))}
	f.d.mu.Lock()
	f.d.done = append(f.d.done, e)
	f.d.mu.Unlock()
	return e, nil
}

// Abort discards the file. Abort after Commit does nothing.
func (f *File) Abort() {
	if f.ended {
		return
	}
	f.ended = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// WriteFile writes b as name in one step.
func (d *Dir) WriteFile(name string, b []byte) (Entry, error) {
	f, err := d.Create(name)
	if err != nil {
		return Entry{}, err
	}
	if _, err := f.Write(b); err != nil {
		f.Abort()
		return Entry{}, fmt.Errorf("evidence: write %s: %w", name, err)
	}
	return f.Commit()
}

// Finish writes the manifest of every committed file. After Finish the
// directory is a closed evidence set that Open refuses.
func (d *Dir) Finish(tool string, meta map[string]string) (Manifest, error) {
	d.mu.Lock()
	files := append([]Entry(nil), d.done...)
	d.mu.Unlock()
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	m := Manifest{Schema: 1, Created: time.Now().UTC(), Tool: tool, Meta: meta, Files: files}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	f, err := os.CreateTemp(d.path, ".manifest.tmp-*")
	if err != nil {
		return m, fmt.Errorf("evidence: manifest: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return m, fmt.Errorf("evidence: manifest: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return m, fmt.Errorf("evidence: manifest: %w", err)
	}
	f.Close()
	if err := os.Link(f.Name(), filepath.Join(d.path, ManifestName)); err != nil {
		return m, fmt.Errorf("evidence: manifest: %w", err)
	}
	return m, syncDir(d.path)
}

// Verify re-hashes every file listed in dir's manifest and reports the
// first mismatch.
func Verify(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return m, fmt.Errorf("evidence: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("evidence: manifest: %w", err)
	}
	for _, e := range m.Files {
		f, err := os.Open(filepath.Join(dir, filepath.Base(e.Name)))
		if err != nil {
			return m, fmt.Errorf("evidence: %w", err)
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return m, fmt.Errorf("evidence: %s: %w", e.Name, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); n != e.Size || got != e.SHA256 {
			return m, fmt.Errorf("evidence: %s changed since the manifest was written", e.Name)
		}
	}
	return m, nil
}

func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("evidence: sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("evidence: sync dir %s: %w", path, err)
	}
	return nil
}

// HashFile returns the SHA-256 of a file, for recording an input's hash.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
