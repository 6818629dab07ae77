package app

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/report"
)

// Export writes the report of review id as kind ("html", "pdf" or "zip":
// the evidence bundle with its manifest) into the review's case folder and
// returns the path. An existing export is never overwritten: a new name
// is chosen.
func (s *ReviewService) Export(id, kind string) (string, error) {
	r, err := s.get(id)
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	res := r.result
	r.mu.Unlock()
	if res == nil {
		return "", errors.New("the analysis has not finished yet")
	}
	base := strings.TrimSuffix(r.info.Title, filepath.Ext(r.info.Title))
	switch kind {
	case "html":
		b, err := os.ReadFile(filepath.Join(r.out, report.HTMLName))
		if err != nil {
			return "", fmt.Errorf("report: %w", err)
		}
		return writeNew(filepath.Join(r.dir, base+"-report.html"), b)
	case "pdf":
		b, err := reportPDF(&res.Document, r.out)
		if err != nil {
			return "", err
		}
		return writeNew(filepath.Join(r.dir, base+"-report.pdf"), b)
	case "zip":
		b, err := bundle(r.out)
		if err != nil {
			return "", err
		}
		return writeNew(filepath.Join(r.dir, base+"-evidence.zip"), b)
	}
	return "", fmt.Errorf("unknown export %q (html, pdf or zip)", kind)
}

// maxBundle bounds an evidence bundle held in memory before it is written.
const maxBundle = 2 << 30

// bundle zips the finished evidence folder dir. It refuses a folder
// without a manifest, and checks every file against the manifest's
// SHA-256 first, so a bundle never carries evidence that changed after
// it was written.
func bundle(dir string) ([]byte, error) {
	man, err := evidence.Verify(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence bundle: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{evidence.ManifestName}
	for _, e := range man.Files {
		names = append(names, e.Name)
	}
	for _, name := range names {
		if !fs.ValidPath(filepath.ToSlash(name)) {
			return nil, fmt.Errorf("evidence bundle: bad name %q in the manifest", name)
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("evidence bundle: %w", err)
		}
		w, err := zw.Create(filepath.ToSlash(name))
		if err == nil {
			_, err = io.Copy(w, f)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("evidence bundle: %s: %w", name, err)
		}
		if buf.Len() > maxBundle {
			return nil, errors.New("evidence bundle: larger than 2 GiB")
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeNew writes b to path, or to path with " (2)", " (3)", ... before
// its extension when path exists: temp file, fsync, then a hard link that
// fails rather than replace an existing file.
func writeNew(path string, b []byte) (string, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".export-*")
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return "", fmt.Errorf("export: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	for n := 1; n < 1000; n++ {
		p := path
		if n > 1 {
			p = fmt.Sprintf("%s (%d)%s", stem, n, ext)
		}
		err := os.Link(tmp.Name(), p)
		if err == nil {
			syncDir(dir)
			return p, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("export: %w", err)
		}
	}
	return "", fmt.Errorf("export: too many exports named %s", filepath.Base(path))
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
