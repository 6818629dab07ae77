package vp8_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/vp8"
	"github.com/unmaskhq/unmask/internal/ingesttest"
)

// Bounds for TestDecodeRealFootage, from Cap13 at 400x300, 500 kb/s.
//
// Against FFmpeg decoding the same file: VP8 decoding is bit-exact
// (RFC 6386 specifies it by reference code), so only the YUV->BGR step
// differs (swscale vs OpenCV's fixed point). Measured over all frames: mean
// 1.1-1.21, max 3. A wrong or missing reference shows as blocks off by tens.
//
// Against the source mp4 (decoded by OpenCV): the loss of a 500 kb/s
// encode, measured mean 1.35-1.64. Swapping R and B, the likeliest
// conversion slip, measured 26.8 or more.
const (
	maxMeanVsFFmpeg  = 2.0
	maxPixelVsFFmpeg = 6
	maxMeanVsSource  = 4.0
	// minStdDev rejects flat pictures; Cap13 frames measure 28 or more.
	minStdDev = 10.0
)

// newDecoder returns a decoder closed when tb ends.
func newDecoder(tb testing.TB) *vp8.Decoder {
	tb.Helper()
	d, err := vp8.NewDecoder()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// newMat returns an empty Mat closed when tb ends.
func newMat(tb testing.TB) *gocv.Mat {
	tb.Helper()
	m := gocv.NewMat()
	tb.Cleanup(func() { m.Close() })
	return &m
}

// openCapture opens path with OpenCV's FFmpeg backend (the default probes
// GStreamer first, which takes seconds).
func openCapture(tb testing.TB, path string) *gocv.VideoCapture {
	tb.Helper()
	vc, err := gocv.VideoCaptureFileWithAPI(path, gocv.VideoCaptureFFmpeg)
	if err != nil || !vc.IsOpened() {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { vc.Close() })
	return vc
}

func TestDecodeRealFootage(t *testing.T) {
	fx := clipFixture(t)
	d := newDecoder(t)
	ivf, src := openCapture(t, fx.ivf), openCapture(t, fx.source)
	img, ref, orig := newMat(t), newMat(t), newMat(t)
	mean, std := newMat(t), newMat(t)
	for i, f := range fx.frames {
		if err := d.Decode(f, img); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if err := analysis.ValidateBGR(*img); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if got, want := [2]int{img.Cols(), img.Rows()}, [2]int{fx.width, fx.height}; got != want {
			t.Fatalf("frame %d: size %v, want %v", i, got, want)
		}
		if !ivf.Read(ref) || !src.Read(orig) {
			t.Fatalf("frame %d: OpenCV could not read the reference", i)
		}
		if m := ingesttest.MeanAbsDiff(t, *img, *ref); m > maxMeanVsFFmpeg {
			t.Errorf("frame %d: mean difference to FFmpeg's decode %.2f, want <= %.1f", i, m, maxMeanVsFFmpeg)
		}
		if m := ingesttest.MaxAbsDiff(t, *img, *ref); m > maxPixelVsFFmpeg {
			t.Errorf("frame %d: largest difference to FFmpeg's decode %.0f, want <= %d", i, m, maxPixelVsFFmpeg)
		}
		if m := ingesttest.MeanAbsDiff(t, *img, *orig); m > maxMeanVsSource {
			t.Errorf("frame %d: mean difference to the source %.2f, want <= %.1f", i, m, maxMeanVsSource)
		}
		gocv.MeanStdDev(*img, mean, std)
		if s := std.GetDoubleAt(0, 0); s < minStdDev {
			t.Errorf("frame %d: blue channel std dev %.1f, want >= %.0f", i, s, minStdDev)
		}
	}
}

// TestDecodeConverters checks the C converter against OpenCV's on every
// frame: they share constants and rounding, so they must agree exactly.
func TestDecodeConverters(t *testing.T) {
	fx := clipFixture(t)
	c, cv := newDecoder(t), newDecoder(t)
	vp8.SetCConvert(c, true)
	a, b := newMat(t), newMat(t)
	for i, f := range fx.frames {
		if err := c.Decode(f, a); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if err := cv.Decode(f, b); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if m := ingesttest.MaxAbsDiff(t, *a, *b); m != 0 {
			t.Fatalf("frame %d: converters differ by up to %.0f", i, m)
		}
	}
}

// TestDecodeOddSize decodes a picture of odd width and height, which
// OpenCV's I420 conversion cannot take, and compares it with FFmpeg's.
func TestDecodeOddSize(t *testing.T) {
	fx := encoded(t, "odd", "201:151")
	for _, opencv := range []bool{false, true} {
		d := newDecoder(t)
		vp8.SetCConvert(d, !opencv) // OpenCV must fall back to C
		ref := openCapture(t, fx.ivf)
		img, want := newMat(t), newMat(t)
		for i, f := range fx.frames[:10] {
			if err := d.Decode(f, img); err != nil {
				t.Fatalf("opencv=%v frame %d: %v", opencv, i, err)
			}
			if img.Cols() != 201 || img.Rows() != 151 {
				t.Fatalf("opencv=%v frame %d: size %dx%d, want 201x151", opencv, i, img.Cols(), img.Rows())
			}
			ref.Read(want)
			if m := ingesttest.MeanAbsDiff(t, *img, *want); m > maxMeanVsFFmpeg {
				t.Errorf("opencv=%v frame %d: mean difference to FFmpeg's decode %.2f", opencv, i, m)
			}
		}
	}
}

// TestDecodeReusesMat checks that dst keeps its memory while the size holds
// and is resized in place, not replaced, when a keyframe changes it.
func TestDecodeReusesMat(t *testing.T) {
	big, small := clipFixture(t), encoded(t, "small", "320:240")
	d := newDecoder(t)
	img := newMat(t)
	if err := d.Decode(big.frames[0], img); err != nil {
		t.Fatal(err)
	}
	ptr := img.Ptr()
	data, _ := img.DataPtrUint8()
	if err := d.Decode(big.frames[1], img); err != nil {
		t.Fatal(err)
	}
	data2, _ := img.DataPtrUint8()
	if img.Ptr() != ptr || &data[0] != &data2[0] {
		t.Error("same-size decode reallocated dst")
	}
	alias := *img // a copy of the caller's value must stay valid
	if err := d.Decode(small.frames[0], img); err != nil {
		t.Fatal(err)
	}
	if got := [3]int{img.Cols(), img.Rows(), alias.Cols()}; got != [3]int{320, 240, 320} {
		t.Errorf("after size change: dst %dx%d, alias %d wide; want 320x240 both", got[0], got[1], got[2])
	}
	if img.Ptr() != ptr {
		t.Error("size change replaced the cv::Mat instead of resizing it")
	}

	var zero gocv.Mat // a zero Mat is replaced by one the caller owns
	if err := d.Decode(small.frames[0], &zero); err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	if zero.Cols() != 320 {
		t.Errorf("zero Mat: %d wide, want 320", zero.Cols())
	}
}

// keyHeader builds a keyframe header (RFC 6386 §9.1) claiming w x h and a
// first partition of the given size, followed by rest.
func keyHeader(w, h, firstPart int, rest []byte) []byte {
	tag := uint32(1<<4) | uint32(firstPart)<<5 // keyframe, version 0, shown
	b := []byte{byte(tag), byte(tag >> 8), byte(tag >> 16), 0x9d, 0x01, 0x2a,
		byte(w), byte(w >> 8), byte(h), byte(h >> 8)}
	return append(b, rest...)
}

func TestParseHeader(t *testing.T) {
	fx := clipFixture(t)
	key, inter := fx.frames[0], fx.frames[1]
	tests := []struct {
		name string
		in   []byte
		want vp8.Header
		err  error
	}{
		{"real keyframe", key, vp8.Header{Keyframe: true, Show: true, Width: 400, Height: 300, FirstPartSize: -1}, nil},
		{"real inter frame", inter, vp8.Header{Show: true, FirstPartSize: -1}, nil},
		{"scale bits ignored", keyHeader(640|0xc000, 480|0x4000, 0, nil), vp8.Header{Keyframe: true, Show: true, Width: 640, Height: 480}, nil},
		{"empty", nil, vp8.Header{}, vp8.ErrCorrupt},
		{"two bytes", []byte{0x10, 0}, vp8.Header{}, vp8.ErrCorrupt},
		{"short keyframe", key[:9], vp8.Header{}, vp8.ErrCorrupt},
		{"bad start code", append([]byte{key[0], key[1], key[2], 0x9d, 0x01, 0x2b}, key[6:]...), vp8.Header{}, vp8.ErrCorrupt},
		{"first partition past end", keyHeader(64, 64, 100, make([]byte, 99)), vp8.Header{}, vp8.ErrCorrupt},
		{"inter first partition past end", []byte{0x11, 0x01, 0, 1, 2} /* first_part_size 8 */, vp8.Header{}, vp8.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vp8.ParseHeader(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.want.FirstPartSize < 0 { // real frames: any size that fits
				tt.want.FirstPartSize = got.FirstPartSize
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if key := vp8.IsKeyframe(tt.in); key != (err == nil && tt.want.Keyframe) {
				t.Errorf("IsKeyframe = %v", key)
			}
		})
	}
}

// TestDecodeHostile feeds broken input after a good keyframe and checks
// each gives the expected error, leaves dst alone, needs a keyframe
// afterwards, and that the next real keyframe decodes again.
func TestDecodeHostile(t *testing.T) {
	fx := clipFixture(t)
	key, inter := fx.frames[0], fx.frames[1]
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	flip := func(b []byte, bits ...int) []byte {
		c := append([]byte(nil), b...)
		for _, i := range bits {
			c[i/8%len(c)] ^= 1 << (i % 8)
		}
		return c
	}
	randomKey := random(5000)
	randomKey[0] &^= 1 // make libvpx take it for a keyframe
	tests := []struct {
		name string
		in   []byte
		err  error // nil: any error
	}{
		{"nil", nil, vp8.ErrCorrupt},
		{"one byte", []byte{0}, vp8.ErrCorrupt},
		{"random", random(3000), nil},
		{"random keyframe tag", randomKey, nil},
		{"keyframe header only", key[:10], vp8.ErrCorrupt},
		{"keyframe cut to 20 bytes", key[:20], vp8.ErrCorrupt},
		{"keyframe cut in half", key[:len(key)/2], vp8.ErrCorrupt},
		{"keyframe without last byte", key[:len(key)-1], nil},
		{"keyframe with flipped bits", flip(key, 100, 2000, 9000, 30000), nil},
		{"keyframe with random tail", append(append([]byte(nil), key[:200]...), random(4000)...), nil},
		{"16x16 keyframe", keyHeader(16, 16, 10, random(100)), analysis.ErrBadFrame},
		{"0x0 keyframe", keyHeader(0, 0, 10, random(100)), analysis.ErrBadFrame},
		{"9000x100 keyframe", keyHeader(9000, 100, 10, random(100)), analysis.ErrBadFrame},
		{"16383x16383 keyframe", keyHeader(16383, 16383, 10, random(100)), analysis.ErrBadFrame},
		{"8192x8192 keyframe of garbage", keyHeader(8192, 8192, 50, random(100)), vp8.ErrCorrupt},
		{"over MaxFrameSize", make([]byte, vp8.MaxFrameSize+1), vp8.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecoder(t)
			img := newMat(t)
			if err := d.Decode(key, img); err != nil {
				t.Fatal(err)
			}
			before := img.Clone()
			defer before.Close()
			err := d.Decode(tt.in, img)
			if err == nil {
				if tt.err != nil {
					t.Fatalf("no error, want %v", tt.err)
				}
				// libvpx may decode some damage silently; the picture must
				// still be a valid frame.
				t.Logf("decoded without error")
				if verr := analysis.ValidateBGR(*img); verr != nil {
					t.Fatalf("accepted frame gives %v", verr)
				}
				return
			}
			t.Logf("err: %v", err)
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if m := ingesttest.MaxAbsDiff(t, *img, before); m != 0 {
				t.Errorf("dst changed by a failed decode")
			}
			if !d.NeedKeyframe() {
				t.Error("NeedKeyframe() = false after an error")
			}
			if err := d.Decode(inter, img); !errors.Is(err, vp8.ErrNeedKeyframe) {
				t.Errorf("inter frame after an error: %v, want ErrNeedKeyframe", err)
			}
			if err := d.Decode(key, img); err != nil {
				t.Errorf("keyframe after an error: %v", err)
			}
		})
	}
}

// TestDecodeStream covers the decoder's keyframe state across a stream.
func TestDecodeStream(t *testing.T) {
	fx := clipFixture(t)
	d := newDecoder(t)
	img := newMat(t)
	if !d.NeedKeyframe() {
		t.Error("a new decoder does not need a keyframe")
	}
	if err := d.Decode(fx.frames[1], img); !errors.Is(err, vp8.ErrNeedKeyframe) {
		t.Fatalf("inter frame first: %v, want ErrNeedKeyframe", err)
	}
	if !img.Empty() {
		t.Fatal("dst written for a refused frame")
	}
	for i := 0; i < 5; i++ {
		if err := d.Decode(fx.frames[i], img); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	// Frame 5 with show_frame cleared still updates the references, so
	// frame 6 decodes, but it has no picture of its own.
	hidden := append([]byte(nil), fx.frames[5]...)
	hidden[0] &^= 0x10
	before := img.Clone()
	defer before.Close()
	if err := d.Decode(hidden, img); !errors.Is(err, vp8.ErrNoPicture) {
		t.Fatalf("hidden frame: %v, want ErrNoPicture", err)
	}
	if ingesttest.MaxAbsDiff(t, *img, before) != 0 || d.NeedKeyframe() {
		t.Fatal("a hidden frame changed dst or the decoder's state")
	}
	if err := d.Decode(fx.frames[6], img); err != nil {
		t.Fatalf("frame 6 after the hidden frame: %v", err)
	}
	// A frame lost in transit is invisible to the decoder; a damaged one
	// is not, and stops it until the keyframe at 25.
	broken := append([]byte(nil), fx.frames[7][:len(fx.frames[7])/3]...)
	if err := d.Decode(broken, img); !errors.Is(err, vp8.ErrCorrupt) {
		t.Fatalf("truncated inter frame: %v, want ErrCorrupt", err)
	}
	for i := 8; i < 25; i++ {
		if err := d.Decode(fx.frames[i], img); !errors.Is(err, vp8.ErrNeedKeyframe) {
			t.Fatalf("frame %d after the error: %v, want ErrNeedKeyframe", i, err)
		}
	}
	if err := d.Decode(fx.frames[25], img); err != nil {
		t.Fatalf("keyframe 25: %v", err)
	}
	if err := d.Decode(fx.frames[26], img); err != nil {
		t.Fatalf("frame 26: %v", err)
	}
}

func TestDecoderClose(t *testing.T) {
	fx := clipFixture(t)
	d, err := vp8.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	img := newMat(t)
	if err := d.Decode(nil, nil); err == nil {
		t.Error("nil dst accepted")
	}
	for i := 0; i < 2; i++ {
		if err := d.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	if err := d.Decode(fx.frames[0], img); !errors.Is(err, vp8.ErrClosed) {
		t.Errorf("Decode after Close: %v, want ErrClosed", err)
	}
}

// TestDecodeDamagedStream decodes a real stream in which a seeded random
// eighth of the frames is damaged (bits flipped, cut short, or replaced),
// the way a lossy link without the Assembler's checks would deliver it.
// Every call must return a documented error or a valid picture, and each
// keyframe after damage must decode again.
func TestDecodeDamagedStream(t *testing.T) {
	fx := clipFixture(t)
	rng := rand.New(rand.NewPCG(3, 4))
	d := newDecoder(t)
	img := newMat(t)
	counts := map[string]int{}
	for round := 0; round < 6; round++ {
		for i, f := range fx.frames {
			frame := f
			damaged := rng.IntN(8) == 0
			if damaged {
				frame = append([]byte(nil), f...)
				switch rng.IntN(3) {
				case 0:
					for k := 0; k < 1+rng.IntN(8); k++ {
						frame[rng.IntN(len(frame))] ^= 1 << rng.IntN(8)
					}
				case 1:
					frame = frame[:rng.IntN(len(frame))]
				default:
					for k := 3 + rng.IntN(len(frame)-3); k < len(frame); k++ {
						frame[k] = byte(rng.Uint32())
					}
				}
			}
			err := d.Decode(frame, img)
			switch {
			case err == nil:
				counts["ok"]++
				if verr := analysis.ValidateBGR(*img); verr != nil {
					t.Fatalf("round %d frame %d: %v", round, i, verr)
				}
			case errors.Is(err, vp8.ErrNeedKeyframe):
				counts["need keyframe"]++
			case errors.Is(err, vp8.ErrCorrupt), errors.Is(err, analysis.ErrBadFrame), errors.Is(err, vp8.ErrNoPicture):
				counts["corrupt"]++
			default:
				t.Fatalf("round %d frame %d: undocumented error %v", round, i, err)
			}
			if !damaged && vp8.IsKeyframe(frame) && err != nil {
				t.Fatalf("round %d: intact keyframe %d: %v", round, i, err)
			}
		}
	}
	t.Logf("outcomes: %v", counts)
}
