package record

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// writeFileAtomic writes data as dir/name so that a crash leaves either the
// old file or the new one, never a mix: a temporary file in dir, fsync,
// then rename over name (or, with create, a hard link that fails if name
// exists, the way package evidence commits files), then fsync of dir.
//
// evidence.Dir cannot be reused here: it refuses to replace a committed
// file, and session.json is replaced several times during a session.
func writeFileAtomic(dir, name string, data []byte, create bool) error {
	final := filepath.Join(dir, name)
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("record: write %s: %w", name, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a rename this finds nothing; after a link it removes the temp name only
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("record: write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("record: sync %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("record: close %s: %w", name, err)
	}
	if create {
		if err := os.Link(tmp, final); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%w: %s", ErrExists, final)
			}
			return fmt.Errorf("record: commit %s: %w", name, err)
		}
	} else if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("record: commit %s: %w", name, err)
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so that names created in it survive a crash.
// Windows cannot fsync a directory (NTFS journals names itself).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("record: sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("record: sync dir %s: %w", dir, err)
	}
	return nil
}

// removeTemps deletes temporary manifest files left by a crash during a
// manifest write. Errors are ignored: the files are harmless.
func removeTemps(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, "."+ManifestName+".tmp-*"))
	for _, n := range names {
		os.Remove(n)
	}
}
