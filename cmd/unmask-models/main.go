// Command unmask-models generates the model files that Unmask builds from
// packages rather than finding installed: today face_recognition.onnx,
// converted from the TensorFlow.js weights in the npm package
// @vladmandic/face-api (see internal/facerec). build/models.sh fetches the
// package with `npm pack` and runs this command; `make models` runs the
// script.
//
// It is a separate command, not a subcommand of cmd/unmask, because it is
// build tooling: it is pure Go (no cgo, no OpenCV), so it builds and runs
// before the native libraries are even installed, and the analyzer users
// run does not carry a converter it never uses.
//
// Usage:
//
//	unmask-models -tarball vladmandic-face-api-1.7.15.tgz -out DIR
//
// The output is deterministic: the same tarball always gives the same
// bytes, which the model registry pins by size and SHA-256. The file is
// written to a temporary file, synced and renamed, so a killed run never
// leaves a truncated model behind.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/unmaskhq/unmask/internal/facerec"
)

// File is the name of the generated model, as the registry knows it.
const File = "face_recognition.onnx"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("unmask-models", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tarball := fs.String("tarball", "", "the npm tarball of "+facerec.NPMPackage+"@"+facerec.NPMVersion+" (npm pack)")
	out := fs.String("out", "", "directory to write "+File+" into")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *tarball == "" || *out == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: unmask-models -tarball FILE.tgz -out DIR")
		return 2
	}
	path, sum, size, err := convert(*tarball, *out)
	if err != nil {
		fmt.Fprintln(stderr, "unmask-models:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s  %d bytes  sha256 %s\n", path, size, sum)
	return 0
}

// convert writes dir/File from the tarball and returns its path, SHA-256
// and size.
func convert(tarball, dir string) (string, string, int, error) {
	w, err := facerec.ReadTarball(tarball)
	if err != nil {
		return "", "", 0, err
	}
	m, err := facerec.Build(w)
	if err != nil {
		return "", "", 0, err
	}
	b, err := m.Marshal()
	if err != nil {
		return "", "", 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", 0, err
	}
	path := filepath.Join(dir, File)
	if err := writeAtomic(path, b); err != nil {
		return "", "", 0, err
	}
	sum := sha256.Sum256(b)
	return path, hex.EncodeToString(sum[:]), len(b), nil
}

// writeAtomic writes b to path through a synced temporary file and a
// rename.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
