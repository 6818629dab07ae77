package facerec

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

	"github.com/unmaskhq/unmask/internal/tfjs"
)

// The npm package the weights come from, pinned by the SHA-256 of the
// tarball that `npm pack @vladmandic/face-api@1.7.15` fetches.
const (
	NPMPackage    = "@vladmandic/face-api"
	NPMVersion    = "1.7.15"
	Tarball       = "vladmandic-face-api-1.7.15.tgz"
	TarballSHA256 = "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031"
	// Licence of the package (package.json "license", LICENSE file) and of
	// the weights it carries.
	Licence = "MIT (@vladmandic/face-api); the weights are dlib's dlib_face_recognition_resnet_model_v1, which its author released into the public domain (dlib-models README)"

	manifestMember = "package/model/face_recognition_model-weights_manifest.json"
	shardDir       = "package/model/"
)

// ErrTarball is returned when the tarball is not the pinned one or lacks
// the model files.
var ErrTarball = errors.New("facerec: unexpected tarball")

// ReadTarball verifies the npm tarball at path against TarballSHA256 and
// decodes the face-recognition weights inside it.
func ReadTarball(path string) (map[string]tfjs.Weight, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("facerec: %w", err)
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != TarballSHA256 {
		return nil, fmt.Errorf("%w: %s has sha256 %s, want %s (npm pack %s@%s)", ErrTarball, path, got, TarballSHA256, NPMPackage, NPMVersion)
	}
	files, err := untar(raw)
	if err != nil {
		return nil, err
	}
	mb, ok := files[manifestMember]
	if !ok {
		return nil, fmt.Errorf("%w: no %s", ErrTarball, manifestMember)
	}
	m, err := tfjs.ParseManifest(mb)
	if err != nil {
		return nil, err
	}
	return m.Decode(func(p string) ([]byte, error) {
		b, ok := files[shardDir+p]
		if !ok {
			return nil, fmt.Errorf("%w: no %s", ErrTarball, shardDir+p)
		}
		return b, nil
	})
}

// untar returns the regular files under package/model/ in a gzipped tar.
func untar(raw []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTarball, err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrTarball, err)
		}
		if h.Typeflag != tar.TypeReg || len(h.Name) <= len(shardDir) || h.Name[:len(shardDir)] != shardDir {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrTarball, h.Name, err)
		}
		files[h.Name] = b
	}
}
