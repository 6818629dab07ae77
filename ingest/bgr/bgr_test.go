package bgr_test

import (
	"errors"
	"image"
	"os"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/ingest/bgr"
	"github.com/unmaskhq/unmask/internal/matleak"
)

func TestMain(m *testing.M) { os.Exit(matleak.Run(m)) }

func TestEnsure(t *testing.T) {
	t.Run("zero Mat", func(t *testing.T) {
		var m gocv.Mat
		if err := bgr.Ensure(&m, 40, 30); err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if m.Cols() != 40 || m.Rows() != 30 || m.Type() != gocv.MatTypeCV8UC3 {
			t.Errorf("got %dx%d %v, want 40x30 CV_8UC3", m.Cols(), m.Rows(), m.Type())
		}
	})
	t.Run("same size keeps memory", func(t *testing.T) {
		m := gocv.NewMatWithSize(30, 40, gocv.MatTypeCV8UC3)
		defer m.Close()
		before := m.DataPtrUint8
		b0, _ := before()
		if err := bgr.Ensure(&m, 40, 30); err != nil {
			t.Fatal(err)
		}
		b1, _ := m.DataPtrUint8()
		if &b0[0] != &b1[0] {
			t.Error("reallocated a Mat of the right size")
		}
	})
	t.Run("other size and type", func(t *testing.T) {
		m := gocv.NewMatWithSize(10, 10, gocv.MatTypeCV8UC1)
		defer m.Close()
		alias := m
		if err := bgr.Ensure(&m, 40, 30); err != nil {
			t.Fatal(err)
		}
		if alias.Cols() != 40 || alias.Rows() != 30 || alias.Type() != gocv.MatTypeCV8UC3 {
			t.Errorf("copy of the Mat value sees %dx%d %v, want 40x30 CV_8UC3", alias.Cols(), alias.Rows(), alias.Type())
		}
	})
	t.Run("region view", func(t *testing.T) {
		m := gocv.NewMatWithSize(30, 40, gocv.MatTypeCV8UC3)
		defer m.Close()
		r := m.Region(image.Rect(0, 0, 20, 30))
		defer r.Close()
		if err := bgr.Ensure(&r, 20, 30); !errors.Is(err, bgr.ErrNotContinuous) {
			t.Errorf("err = %v, want ErrNotContinuous", err)
		}
	})
}
