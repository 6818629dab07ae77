package video

import (
	"errors"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// TestCheck feeds FileSource.check the frames OpenCV could hand back
// mid-stream. OpenCV 4.6's FFmpeg backend keeps the first frame's size when
// a stream changes resolution, so these cannot be made from a real file.
func TestCheck(t *testing.T) {
	ok := gocv.NewMatWithSize(300, 400, gocv.MatTypeCV8UC3)
	defer ok.Close()
	bigger := gocv.NewMatWithSize(480, 640, gocv.MatTypeCV8UC3)
	defer bigger.Close()
	tiny := gocv.NewMatWithSize(16, 16, gocv.MatTypeCV8UC3)
	defer tiny.Close()
	gray := gocv.NewMatWithSize(300, 400, gocv.MatTypeCV8UC1)
	defer gray.Close()
	empty := gocv.NewMat()
	defer empty.Close()

	var s FileSource
	if err := s.check(ok); err != nil {
		t.Fatalf("first frame: %v", err)
	}
	tests := []struct {
		name string
		m    gocv.Mat
		want error
	}{
		{"same size", ok, nil},
		{"size change", bigger, analysis.ErrBadFrame},
		{"below MinFrameSide", tiny, analysis.ErrBadFrame},
		{"gray", gray, analysis.ErrBadFrame},
		{"empty", empty, analysis.ErrBadFrame},
		{"same size again", ok, nil},
	}
	for _, tt := range tests {
		if err := s.check(tt.m); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}
