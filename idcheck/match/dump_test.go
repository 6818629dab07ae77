package match_test

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/testdata/faces"
)

func TestDumpFaces(t *testing.T) {
	dir := os.Getenv("UNMASK_FACES_DUMP")
	if dir == "" {
		t.Skip("set UNMASK_FACES_DUMP")
	}
	m := newMatcher(t)
	for _, name := range faces.Names(t) {
		img, _ := gocv.IMDecode(faces.Photos(t)[name], gocv.IMReadColor)
		fs, _ := m.Faces(img, image.Rectangle{})
		for k, f := range fs {
			c := img.Region(f.Box)
			gocv.IMWrite(filepath.Join(dir, fmt.Sprintf("%s#%d.png", name, k)), c)
			c.Close()
		}
		img.Close()
	}
}
