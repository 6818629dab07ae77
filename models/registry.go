package models

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
)

// EnvDir names the environment variable whose directory is searched first.
const EnvDir = "UNMASK_MODELS"

//go:embed bundled
var bundled embed.FS

// Model describes one model file.
type Model struct {
	Name    string `json:"name"`    // registry key, e.g. "landmarks68"
	File    string `json:"file"`    // file name, looked up in every location
	Purpose string `json:"purpose"` // what Unmask uses it for
	Size    int64  `json:"size"`    // bytes
	SHA256  string `json:"sha256"`  // lower-case hex
	Licence string `json:"licence"`
	// Package is the Debian/Ubuntu package that installs the file, or
	// "bundled" for files shipped inside this package.
	Package string `json:"package"`
	// Brew names the Homebrew formula on macOS, if one ships the file.
	Brew string `json:"brew,omitempty"`
	// SystemPaths are the absolute paths where Package installs the file.
	SystemPaths []string `json:"system_paths,omitempty"`
	// Generated, when set, says the file is not shipped by Package but
	// generated from it at build time, and how (the command to run). Such
	// files are also searched for in the generated-models directories
	// (see WithGeneratedDirs).
	Generated string `json:"generated,omitempty"`
}

// Bundled reports whether the file ships inside the binary.
func (m Model) Bundled() bool { return m.Package == "bundled" }

// Status is the outcome of locating and verifying one model.
type Status struct {
	Model
	Path  string `json:"path,omitempty"` // where it was found; "bundled:FILE" for bundled data
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// GeneratedDir is where `make models` writes generated model files,
// relative to the repository root.
const GeneratedDir = "models/generated"

// Registry finds and verifies model files. The zero value is not usable;
// use New or Default. A Registry is safe for concurrent use.
type Registry struct {
	models  map[string]Model
	envDir  string
	genDirs []string
	mu      sync.Mutex
	checked map[string]checkResult // by model name
}

// Option configures a Registry.
type Option func(*Registry)

// WithGeneratedDirs replaces the directories searched for generated
// models (after $UNMASK_MODELS, before SystemPaths). The default is the
// directory "models" beside the running executable, then GeneratedDir in
// the source tree this package was built from (found for development
// builds and tests; absent from -trimpath builds).
func WithGeneratedDirs(dirs ...string) Option {
	return func(r *Registry) { r.genDirs = dirs }
}

type checkResult struct {
	path string
	data []byte // bundled files only
	err  error
}

// New returns a registry of ms that searches envDir (if not empty) first.
func New(ms []Model, envDir string, opts ...Option) *Registry {
	r := &Registry{models: make(map[string]Model, len(ms)), envDir: envDir, genDirs: defaultGeneratedDirs(),
		checked: map[string]checkResult{}}
	for _, o := range opts {
		o(r)
	}
	for _, m := range ms {
		r.models[m.Name] = m
	}
	return r
}

// defaultGeneratedDirs returns the directory "models" beside the
// executable and the source tree's GeneratedDir, those that can be named.
func defaultGeneratedDirs() []string {
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Join(filepath.Dir(exe), "models"))
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Dir(filepath.Dir(file))
		dirs = append(dirs, filepath.Join(root, filepath.FromSlash(GeneratedDir)))
	}
	return dirs
}

var (
	defaultOnce sync.Once
	defaultReg  *Registry
)

// Default returns the process-wide registry of Unmask's models, honouring
// $UNMASK_MODELS as read on first use.
func Default() *Registry {
	defaultOnce.Do(func() { defaultReg = New(Known, os.Getenv(EnvDir)) })
	return defaultReg
}

// Model returns the registry entry for name.
func (r *Registry) Model(name string) (Model, error) {
	m, ok := r.models[name]
	if !ok {
		return Model{}, fmt.Errorf("models: %q: %w", name, ErrUnknown)
	}
	return m, nil
}

// Path locates name on disk, verifies its size and SHA-256, and returns
// the path. A bundled model has no path: use Bytes.
func (r *Registry) Path(name string) (string, error) {
	res, err := r.check(name)
	if err != nil {
		return "", err
	}
	if res.path == "" {
		return "", fmt.Errorf("models: %s is bundled data, not a file: use Bytes", name)
	}
	return res.path, nil
}

// Bytes returns the verified content of name. For files on disk it reads
// the whole file, so use it only for small models.
func (r *Registry) Bytes(name string) ([]byte, error) {
	res, err := r.check(name)
	if err != nil {
		return nil, err
	}
	if res.data != nil {
		return res.data, nil
	}
	b, err := os.ReadFile(res.path)
	if err != nil {
		return nil, fmt.Errorf("models: read %s: %w", res.path, err)
	}
	return b, nil
}

// Check verifies every model and returns their status, sorted by name.
func (r *Registry) Check() []Status {
	names := make([]string, 0, len(r.models))
	for n := range r.models {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Status, 0, len(names))
	for _, n := range names {
		res, err := r.check(n)
		st := Status{Model: r.models[n], Path: res.path, OK: err == nil}
		if res.data != nil {
			st.Path = "bundled:" + st.File
		}
		if err != nil {
			st.Error = err.Error()
		}
		out = append(out, st)
	}
	return out
}

func (r *Registry) check(name string) (checkResult, error) {
	m, ok := r.models[name]
	if !ok {
		return checkResult{}, fmt.Errorf("models: %q: %w", name, ErrUnknown)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if res, ok := r.checked[name]; ok {
		return res, res.err
	}
	res := r.locate(m)
	r.checked[name] = res
	return res, res.err
}

// locate walks the search order. A file that exists but fails verification
// stops the search: silently falling through to another copy would hide a
// corrupted override.
func (r *Registry) locate(m Model) checkResult {
	if r.envDir != "" {
		p := filepath.Join(r.envDir, m.File)
		if _, err := os.Stat(p); err == nil {
			return checkResult{path: p, err: verifyFile(m, p)}
		}
	}
	if m.Bundled() {
		b, err := fs.ReadFile(bundled, "bundled/"+m.File)
		if err != nil {
			return checkResult{err: fmt.Errorf("models: %s: bundled file %s: %w", m.Name, m.File, ErrMissing)}
		}
		return checkResult{data: b, err: verify(m, "bundled:"+m.File, int64(len(b)), sha256.Sum256(b))}
	}
	var paths []string
	if m.Generated != "" {
		for _, d := range r.genDirs {
			paths = append(paths, filepath.Join(d, m.File))
		}
	}
	for _, p := range append(paths, m.SystemPaths...) {
		if _, err := os.Stat(p); err == nil {
			return checkResult{path: p, err: verifyFile(m, p)}
		}
	}
	if m.Generated != "" {
		return checkResult{err: fmt.Errorf("models: %s (%s): %w; it is generated at build time from the npm package %s: %s, or put %s in $%s",
			m.Name, m.File, ErrMissing, m.Package, m.Generated, m.File, EnvDir)}
	}
	return checkResult{err: fmt.Errorf("models: %s (%s): %w; install it with `apt-get install %s`%s, or put %s in $%s",
		m.Name, m.File, ErrMissing, m.Package, brewHint(m), m.File, EnvDir)}
}

func brewHint(m Model) string {
	if m.Brew == "" {
		return ""
	}
	return " (macOS: `brew install " + m.Brew + "`)"
}

func verifyFile(m Model, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("models: %s: open %s: %w", m.Name, path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("models: %s: read %s: %w", m.Name, path, err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return verify(m, path, n, sum)
}

func verify(m Model, where string, size int64, sum [32]byte) error {
	got := hex.EncodeToString(sum[:])
	if size != m.Size || got != m.SHA256 {
		fix := "reinstall " + m.Package
		if m.Generated != "" {
			fix = "regenerate it: " + m.Generated
		}
		if m.Bundled() {
			fix = "the copy built into Unmask is damaged: rebuild or reinstall Unmask"
		}
		return fmt.Errorf("models: %s at %s: %w (size %d, sha256 %s; want size %d, sha256 %s); %s",
			m.Name, where, ErrMismatch, size, got[:12], m.Size, short(m.SHA256), fix)
	}
	return nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// IsMissing reports whether err means a model could not be found or verified.
func IsMissing(err error) bool {
	return errors.Is(err, ErrMissing) || errors.Is(err, ErrMismatch)
}
