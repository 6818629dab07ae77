package ivf_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"os"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/bgr"
	"github.com/unmaskhq/unmask/ingest/ivf"
	"github.com/unmaskhq/unmask/internal/ingesttest"
	"github.com/unmaskhq/unmask/internal/matleak"
)

func TestMain(m *testing.M) { os.Exit(matleak.Run(m)) }

// fakeDecoder decodes a frame whose first byte is 'P' into a 64x48 gray
// picture, 'H' into ErrHidden and anything else into errBroken.
type fakeDecoder struct{ skips *int }

var (
	errHidden = errors.New("nothing to show")
	errBroken = errors.New("broken frame")
)

func (d fakeDecoder) Decode(frame []byte, dst *gocv.Mat) error {
	switch {
	case len(frame) > 0 && frame[0] == 'P':
		return bgr.Ensure(dst, 64, 48)
	case len(frame) > 0 && frame[0] == 'H':
		return errHidden
	}
	return errBroken
}
func (d fakeDecoder) SkipToKeyframe() { *d.skips++ }
func (d fakeDecoder) Close() error    { return nil }

func codec(skips *int) ivf.Codec {
	return ivf.Codec{
		Name:         "fake",
		FourCC:       "FAKE",
		MaxFrameSize: 100,
		NewDecoder:   func() (ivf.Decoder, error) { return fakeDecoder{skips}, nil },
		Picture:      func(first []byte) image.Point { return image.Pt(len(first), 1) },
		NoPicture:    func(_ []byte, err error) bool { return errors.Is(err, errHidden) },
	}
}

// file builds an IVF file of frames with the given pts, timebase 1/1000.
func file(frames [][]byte, pts []uint64) []byte {
	b := ingesttest.IVFHeader("FAKE", 64, 48, 1000, 1, uint32(len(frames)))
	for i, f := range frames {
		b = append(b, ingesttest.IVFFrame(pts[i], f)...)
	}
	return b
}

func replay(t *testing.T, src *ivf.Source) (times []time.Duration, err error) {
	t.Helper()
	out := make(chan analysis.Frame)
	done := make(chan error, 1)
	go func() { done <- src.Frames(context.Background(), out) }()
	for f := range out {
		times = append(times, f.Time)
		f.Close()
	}
	return times, <-done
}

func TestSource(t *testing.T) {
	p := []byte("P")
	big := bytes.Repeat([]byte("P"), 101)
	skips := 0
	data := file([][]byte{p, p, []byte("H"), []byte("x"), big, p, p, p}, []uint64{1000, 1040, 1080, 1120, 1160, 1160, 1 << 62, 1240})
	src, err := ivf.New(bytes.NewReader(data), "mem", codec(&skips))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	want := ivf.Info{Path: "mem", Width: 64, Height: 48, Picture: image.Pt(1, 1), Frames: 8, TimebaseNum: 1, TimebaseDen: 1000, FPS: 7 * 1000 / 240.0}
	if got := src.Info(); got != want {
		t.Errorf("Info() = %+v, want %+v", got, want)
	}
	times, err := replay(t, src)
	if err != nil {
		t.Fatal(err)
	}
	// The repeated and the absurd pts are placed one frame (34.3 ms) on.
	step := time.Duration(float64(time.Second)/want.FPS + 0.5)
	wantTimes := []time.Duration{0, 40 * time.Millisecond, 160*time.Millisecond + step, 160*time.Millisecond + 2*step, 240 * time.Millisecond}
	if len(times) != len(wantTimes) {
		t.Fatalf("times %v, want %v", times, wantTimes)
	}
	for i := range times {
		if times[i] != wantTimes[i] {
			t.Errorf("frame %d at %v, want %v", i, times[i], wantTimes[i])
		}
	}
	if got, want := src.Stats(), (ivf.Stats{FramesRead: 8, Decoded: 5, Skipped: 2, Hidden: 1, EOF: true}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	if skips != 1 {
		t.Errorf("SkipToKeyframe called %d times, want 1 (the frame over MaxFrameSize)", skips)
	}
}

func TestSourceTruncatedAndEmpty(t *testing.T) {
	p := []byte("PPPP")
	full := file([][]byte{p, p}, []uint64{0, 40})
	tests := []struct {
		name      string
		data      []byte
		frames    int
		truncated bool
		err       error
	}{
		{"whole", full, 2, false, nil},
		{"cut inside the last frame", full[:len(full)-2], 1, true, nil},
		{"cut inside a frame header", full[:len(full)-len(p)-5], 1, true, nil},
		{"no frames", full[:32], 0, false, ivf.ErrNoFrames},
		{"only broken frames", file([][]byte{[]byte("x")}, []uint64{0}), 0, false, ivf.ErrNoFrames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skips := 0
			src, err := ivf.New(bytes.NewReader(tt.data), "mem", codec(&skips))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			times, err := replay(t, src)
			if !errors.Is(err, tt.err) || len(times) != tt.frames {
				t.Errorf("%d frames, err %v; want %d, %v", len(times), err, tt.frames, tt.err)
			}
			if st := src.Stats(); !st.EOF || st.Truncated != tt.truncated {
				t.Errorf("Stats() = %+v, want EOF, truncated %v", st, tt.truncated)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	body := ingesttest.IVFFrame(0, []byte("P"))
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"empty", nil, ivf.ErrNotIVF},
		{"short header", ingesttest.IVFHeader("FAKE", 64, 48, 25, 1, 1)[:31], ivf.ErrNotIVF},
		{"bad signature", append([]byte("RIFF"), ingesttest.IVFHeader("FAKE", 64, 48, 25, 1, 1)[4:]...), ivf.ErrNotIVF},
		{"version 1", func() []byte { b := ingesttest.IVFHeader("FAKE", 64, 48, 25, 1, 1); b[4] = 1; return b }(), ivf.ErrNotIVF},
		{"other codec", append(ingesttest.IVFHeader("VP80", 64, 48, 25, 1, 1), body...), ivf.ErrCodec},
		{"zero timebase", append(ingesttest.IVFHeader("FAKE", 64, 48, 0, 1, 1), body...), ivf.ErrBadHeader},
		{"size refused", append(ingesttest.IVFHeader("FAKE", 0, 48, 25, 1, 1), body...), ivf.ErrBadHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skips := 0
			c := codec(&skips)
			c.CheckSize = func(w, h int) error {
				if w == 0 || h == 0 {
					return errors.New("zero side")
				}
				return nil
			}
			src, err := ivf.New(bytes.NewReader(tt.data), "mem", c)
			if err == nil {
				src.Close()
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestSourceClose(t *testing.T) {
	skips := 0
	src, err := ivf.New(bytes.NewReader(file([][]byte{[]byte("P")}, []uint64{0})), "mem", codec(&skips))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := src.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	if _, err := replay(t, src); !errors.Is(err, ivf.ErrClosed) {
		t.Errorf("Frames after Close: %v, want ErrClosed", err)
	}
}

func TestWithTimebase(t *testing.T) {
	skips := 0
	data := file([][]byte{[]byte("P"), []byte("P")}, []uint64{0, 3})
	src, err := ivf.New(bytes.NewReader(data), "mem", codec(&skips), ivf.WithTimebase(1, 75))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if info := src.Info(); info.TimebaseNum != 1 || info.TimebaseDen != 75 || info.FPS != 25 {
		t.Errorf("Info() = %+v, want timebase 1/75, 25 fps", info)
	}
	if times, err := replay(t, src); err != nil || len(times) != 2 || times[1] != 40*time.Millisecond {
		t.Errorf("times %v, err %v; want [0 40ms]", times, err)
	}
}
