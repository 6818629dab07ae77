// Package faces gives tests still photographs of many real people: the six
// demo photographs (23 faces, none of them the men in the clips) that ship
// in the npm package @vladmandic/face-api@1.7.15, whose tarball
// build/models.sh already fetches and pins by SHA-256 to build the
// face-recognition model. The photographs are read straight from the
// cached tarball; nothing is extracted or fetched here.
package faces

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Tarball and its SHA-256, as pinned in build/models.sh.
const (
	Tarball = "vladmandic-face-api-1.7.15.tgz"
	SHA256  = "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031"
)

// EnvCache names the cache directory build/models.sh uses, when not
// build/cache.
const EnvCache = "UNMASK_BUILD_CACHE"

var (
	once    sync.Once
	photos  map[string][]byte
	loadErr error
)

// Photos returns the demo photographs as JPEG bytes by name
// ("sample1.jpg" ... "sample6.jpg"). It fails the test, rather than
// skipping it, when the tarball is missing: run `make models`.
func Photos(tb testing.TB) map[string][]byte {
	tb.Helper()
	once.Do(func() { photos, loadErr = load() })
	if loadErr != nil {
		tb.Fatalf("faces: %v (run `make models`)", loadErr)
	}
	return photos
}

// Names returns the photographs' names in order.
func Names(tb testing.TB) []string {
	tb.Helper()
	var names []string
	for n := range Photos(tb) {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func load() (map[string][]byte, error) {
	path, err := tarballPath()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != SHA256 {
		return nil, fmt.Errorf("%s: SHA-256 %s, want %s", path, got, SHA256)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(h.Name, "package/demo/")
		if name == h.Name || !strings.HasPrefix(name, "sample") || !strings.HasSuffix(name, ".jpg") {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 16<<20))
		if err != nil {
			return nil, err
		}
		out[name] = b
	}
	if len(out) != 6 {
		return nil, fmt.Errorf("%s: %d demo photographs, want 6", path, len(out))
	}
	return out, nil
}

func tarballPath() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the repository")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := os.Getenv(EnvCache)
	switch {
	case dir == "":
		dir = filepath.Join(root, "build", "cache")
	case !filepath.IsAbs(dir): // build/models.sh reads it from the repository root
		dir = filepath.Join(root, dir)
	}
	return filepath.Join(dir, Tarball), nil
}
