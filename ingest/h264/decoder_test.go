package h264_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/h264"
	"github.com/unmaskhq/unmask/internal/ingesttest"
)

// Bounds for TestDecodeRealFootage, from Cap13 at 400x300 (x264 baseline,
// CRF 23). OpenCV decodes the same Annex-B file with its FFmpeg backend,
// so decoding is identical (H.264 decoding is bit-exact) and only the
// YUV->BGR step may differ. Both use libswscale: measured exact (mean 0,
// max 0 over all 75 pictures); the bounds leave room for an OpenCV build
// that passes other swscale flags (OpenCV's own cvtColor, tried as a
// converter, measured mean 1.11-1.20, max 3 against it). A wrong or missing
// reference shows as blocks off by tens, swapped R and B as a mean of tens.
const (
	maxMeanVsOpenCV  = 1.5
	maxPixelVsOpenCV = 4
	// minStdDev rejects flat pictures; Cap13 frames measure 28 or more.
	minStdDev = 10.0
)

// newDecoder returns a decoder closed when tb ends.
func newDecoder(tb testing.TB) *h264.Decoder {
	tb.Helper()
	d, err := h264.NewDecoder()
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

// openCapture opens path with OpenCV's FFmpeg backend.
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
	if got := len(fx.aus); got != 75 {
		t.Fatalf("%d access units in 3 s at 25 fps, want 75", got)
	}
	d := newDecoder(t)
	ref := openCapture(t, fx.file)
	img, want := newMat(t), newMat(t)
	mean, std := newMat(t), newMat(t)
	worstMean, worstMax := 0.0, 0.0
	for i, au := range fx.aus {
		if err := d.Decode(au, img); err != nil {
			t.Fatalf("access unit %d: %v", i, err)
		}
		if err := analysis.ValidateBGR(*img); err != nil {
			t.Fatalf("access unit %d: %v", i, err)
		}
		if img.Cols() != 400 || img.Rows() != 300 {
			t.Fatalf("access unit %d: size %dx%d, want 400x300", i, img.Cols(), img.Rows())
		}
		if !ref.Read(want) {
			t.Fatalf("access unit %d: OpenCV could not read the reference", i)
		}
		m, x := ingesttest.MeanAbsDiff(t, *img, *want), ingesttest.MaxAbsDiff(t, *img, *want)
		worstMean, worstMax = max(worstMean, m), max(worstMax, x)
		if m > maxMeanVsOpenCV || x > maxPixelVsOpenCV {
			t.Errorf("access unit %d: difference to OpenCV's decode mean %.2f max %.0f, want <= %.1f, %d", i, m, x, maxMeanVsOpenCV, maxPixelVsOpenCV)
		}
		gocv.MeanStdDev(*img, mean, std)
		if s := std.GetDoubleAt(0, 0); s < minStdDev {
			t.Errorf("access unit %d: blue channel std dev %.1f, want >= %.0f", i, s, minStdDev)
		}
	}
	if ref.Read(want) {
		t.Error("OpenCV read more pictures than there are access units")
	}
	t.Logf("worst mean %.3f, worst max %.0f over %d pictures", worstMean, worstMax, len(fx.aus))
}

// TestDecodeSizes decodes a size that is not a multiple of 16 (the SPS
// crops it) and a 4:4:4 high-profile stream of odd size (H.264 4:2:0 sizes
// are even), which go through libswscale, against OpenCV's decode.
func TestDecodeSizes(t *testing.T) {
	tests := []struct {
		name string
		fx   *fixture
		w, h int
	}{
		{"cropped 202x150", cropFixture(t), 202, 150},
		{"4:4:4 201x151", oddFixture(t), 201, 151},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecoder(t)
			ref := openCapture(t, tt.fx.file)
			img, want := newMat(t), newMat(t)
			for i, au := range tt.fx.aus[:10] {
				if err := d.Decode(au, img); err != nil {
					t.Fatalf("access unit %d: %v", i, err)
				}
				if img.Cols() != tt.w || img.Rows() != tt.h {
					t.Fatalf("access unit %d: size %dx%d, want %dx%d", i, img.Cols(), img.Rows(), tt.w, tt.h)
				}
				ref.Read(want)
				if m := ingesttest.MeanAbsDiff(t, *img, *want); m > maxMeanVsOpenCV {
					t.Errorf("access unit %d: mean difference to OpenCV's decode %.2f", i, m)
				}
			}
		})
	}
}

func cropFixture(tb testing.TB) *fixture { return encoded(tb, "crop", "202:150") }

func oddFixture(tb testing.TB) *fixture {
	return encoded(tb, "odd", "201:151", "-profile:v", "high444", "-pix_fmt", "yuv444p")
}

func TestIsKeyframe(t *testing.T) {
	fx := clipFixture(t)
	keys := keyframes(fx.aus)
	if len(keys) != 3 || keys[0] != 0 || keys[1] != 25 || keys[2] != 50 {
		t.Fatalf("IDRs at %v, want [0 25 50]", keys)
	}
	for i, au := range fx.aus {
		want := i%25 == 0
		if got := h264.IsKeyframe(au); got != want {
			t.Errorf("access unit %d: IsKeyframe = %v, want %v", i, got, want)
		}
	}
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"nil", nil, false},
		{"no start code", []byte{0x65, 1, 2, 3}, false},
		{"3-byte start code IDR", []byte{0, 0, 1, 0x65, 0x88}, true},
		{"IDR after SPS", []byte{0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x65, 0x88}, true},
		{"non-IDR slice", []byte{0, 0, 0, 1, 0x41, 0x9a}, false},
		{"SPS only", []byte{0, 0, 0, 1, 0x67, 0x42}, false},
		{"start code at the end", []byte{0x41, 0, 0, 1}, false},
	}
	for _, tt := range tests {
		if got := h264.IsKeyframe(tt.in); got != tt.want {
			t.Errorf("%s: IsKeyframe = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestSPSSize checks the SPS parser on the fixtures' real SPS and on
// hand-made ones: cropping, high profile with scaling lists, absurd
// sizes.
func TestSPSSize(t *testing.T) {
	for _, tc := range []struct {
		fx   *fixture
		w, h int64
	}{{clipFixture(t), 400, 300}, {cropFixture(t), 202, 150}, {oddFixture(t), 201, 151}} {
		sps := tc.fx.aus[0][4:]
		if sps[0]&0x1f != 7 {
			t.Fatalf("first NAL unit has type %d, want SPS", sps[0]&0x1f)
		}
		end := len(sps)
		for i := 0; i+4 <= len(sps); i++ {
			if string(sps[i:i+4]) == "\x00\x00\x00\x01" {
				end = i
				break
			}
		}
		w, h, err := h264.SPSSize(sps[:end])
		if err != nil || w != tc.w || h != tc.h {
			t.Errorf("SPS size %dx%d err %v, want %dx%d", w, h, err, tc.w, tc.h)
		}
		if _, _, err := h264.SPSSize(sps[:4]); err == nil {
			t.Error("SPS cut to 4 bytes parsed")
		}
	}
}

// TestDecodeHostile feeds broken input after a good IDR and checks each
// gives an error or a valid picture, leaves dst alone on error, needs an
// IDR afterwards, and that the next real IDR decodes again.
func TestDecodeHostile(t *testing.T) {
	fx := clipFixture(t)
	key, inter := fx.aus[0], fx.aus[1]
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
	// idrOnly is the IDR access unit without its SPS and PPS.
	idrOnly := key[indexNAL(t, key, 5)-4:]
	randomIDR := append([]byte{0, 0, 0, 1, 0x65}, random(3000)...)
	hugeSPS := spsAU(t, 1000, 1000) // 16000x16000
	tests := []struct {
		name string
		in   []byte
		err  error // nil: any error, or a valid picture
	}{
		{"nil", nil, h264.ErrCorrupt},
		{"one byte", []byte{0}, nil},
		{"random", random(3000), nil},
		{"random IDR", randomIDR, nil},
		{"IDR without SPS and PPS in a fresh decoder", nil, nil}, // below
		{"IDR cut to 40 bytes", key[:40], nil},
		{"IDR cut in half", key[:len(key)/2], h264.ErrCorrupt},
		{"IDR with flipped bits", flip(key, 1000, 2000, 9000, 30000), nil},
		{"IDR with random tail", append(append([]byte(nil), key[:200]...), random(4000)...), nil},
		{"SPS of 16000x16000", hugeSPS, analysis.ErrBadFrame},
		{"SPS of 16x16", spsAU(t, 1, 1), analysis.ErrBadFrame},
		{"SPS of 8192x4096 (over MaxPixels)", spsAU(t, 512, 256), analysis.ErrBadFrame},
		{"over MaxFrameSize", make([]byte, h264.MaxFrameSize+1), h264.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecoder(t)
			img := newMat(t)
			in := tt.in
			if tt.name == "IDR without SPS and PPS in a fresh decoder" {
				if err := d.Decode(idrOnly, img); err == nil {
					t.Fatal("IDR without parameter sets decoded")
				} else {
					t.Logf("err: %v", err)
				}
				if !d.NeedKeyframe() {
					t.Error("NeedKeyframe() = false")
				}
				if err := d.Decode(key, img); err != nil {
					t.Fatalf("real IDR after it: %v", err)
				}
				return
			}
			if err := d.Decode(key, img); err != nil {
				t.Fatal(err)
			}
			before := img.Clone()
			defer before.Close()
			err := d.Decode(in, img)
			if err == nil {
				if tt.err != nil {
					t.Fatalf("no error, want %v", tt.err)
				}
				t.Logf("decoded without error")
				if verr := analysis.ValidateBGR(*img); verr != nil {
					t.Fatalf("accepted picture gives %v", verr)
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
			if errors.Is(err, h264.ErrNoPicture) && !d.NeedKeyframe() {
				return // no slices found in the garbage: not a failure
			}
			if !d.NeedKeyframe() {
				t.Error("NeedKeyframe() = false after an error")
			}
			if err := d.Decode(inter, img); !errors.Is(err, h264.ErrNeedKeyframe) {
				t.Errorf("P access unit after an error: %v, want ErrNeedKeyframe", err)
			}
			if err := d.Decode(key, img); err != nil {
				t.Errorf("IDR after an error: %v", err)
			}
		})
	}
}

// indexNAL returns the offset of the first NAL unit of type typ in au
// (after its start code).
func indexNAL(tb testing.TB, au []byte, typ byte) int {
	tb.Helper()
	for i := 0; i+4 < len(au); i++ {
		if au[i] == 0 && au[i+1] == 0 && au[i+2] == 1 && au[i+3]&0x1f == typ {
			return i + 3
		}
	}
	tb.Fatalf("no NAL unit of type %d", typ)
	return 0
}

// spsAU returns an access unit holding only a baseline SPS for a picture
// of wmbs x hmbs macroblocks, no cropping.
func spsAU(tb testing.TB, wmbs, hmbs uint32) []byte {
	tb.Helper()
	var bits []bool
	u := func(v uint32, n int) {
		for i := n - 1; i >= 0; i-- {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	ue := func(v uint32) {
		v++
		n := 0
		for x := v; x > 1; x >>= 1 {
			n++
		}
		u(0, n)
		u(v, n+1)
	}
	u(66, 8) // profile_idc baseline
	u(0, 8)  // constraints
	u(30, 8) // level 3.0
	ue(0)    // sps id
	ue(0)    // log2_max_frame_num_minus4
	ue(2)    // pic_order_cnt_type
	ue(1)    // max_num_ref_frames
	u(0, 1)  // gaps
	ue(wmbs - 1)
	ue(hmbs - 1)
	u(1, 1) // frame_mbs_only
	u(1, 1) // direct_8x8
	u(0, 1) // no cropping
	u(0, 1) // no VUI
	u(1, 1) // rbsp stop bit
	for len(bits)%8 != 0 {
		bits = append(bits, false)
	}
	out := []byte{0, 0, 0, 1, 0x67}
	for i := 0; i < len(bits); i += 8 {
		var c byte
		for j := 0; j < 8; j++ {
			if bits[i+j] {
				c |= 1 << (7 - j)
			}
		}
		out = append(out, c)
	}
	w, h, err := h264.SPSSize(out[4:])
	if err != nil || w != int64(wmbs)*16 || h != int64(hmbs)*16 {
		tb.Fatalf("made SPS parses as %dx%d, %v", w, h, err)
	}
	return out
}

// TestDecodeStream covers the decoder's keyframe state across a stream:
// P first, a damaged P access unit, recovery at the next IDR.
func TestDecodeStream(t *testing.T) {
	fx := clipFixture(t)
	d := newDecoder(t)
	img := newMat(t)
	if !d.NeedKeyframe() {
		t.Error("a new decoder does not need a keyframe")
	}
	if err := d.Decode(fx.aus[1], img); !errors.Is(err, h264.ErrNeedKeyframe) {
		t.Fatalf("P access unit first: %v, want ErrNeedKeyframe", err)
	}
	if !img.Empty() {
		t.Fatal("dst written for a refused access unit")
	}
	for i := 0; i < 7; i++ {
		if err := d.Decode(fx.aus[i], img); err != nil {
			t.Fatalf("access unit %d: %v", i, err)
		}
	}
	// Parameter sets alone give no picture and change nothing.
	params := fx.aus[0][:indexNAL(t, fx.aus[0], 5)-4]
	if err := d.Decode(params, img); !errors.Is(err, h264.ErrNoPicture) || d.NeedKeyframe() {
		t.Fatalf("SPS+PPS only: %v, NeedKeyframe %v; want ErrNoPicture, false", err, d.NeedKeyframe())
	}
	broken := append([]byte(nil), fx.aus[7][:len(fx.aus[7])/3]...)
	if err := d.Decode(broken, img); !errors.Is(err, h264.ErrCorrupt) {
		t.Fatalf("truncated P access unit: %v, want ErrCorrupt", err)
	}
	for i := 8; i < 25; i++ {
		if err := d.Decode(fx.aus[i], img); !errors.Is(err, h264.ErrNeedKeyframe) {
			t.Fatalf("access unit %d after the error: %v, want ErrNeedKeyframe", i, err)
		}
	}
	for i := 25; i < 30; i++ {
		if err := d.Decode(fx.aus[i], img); err != nil {
			t.Fatalf("access unit %d: %v", i, err)
		}
	}
}

// TestDecodeDamagedStream decodes the stream with a seeded random eighth
// of the access units damaged; every call returns an error or a valid
// picture, and each IDR after damage decodes.
func TestDecodeDamagedStream(t *testing.T) {
	fx := clipFixture(t)
	rng := rand.New(rand.NewPCG(3, 4))
	d := newDecoder(t)
	img := newMat(t)
	counts := map[string]int{}
	for round := 0; round < 4; round++ {
		for i, au := range fx.aus {
			in := au
			if rng.IntN(8) == 0 {
				in = append([]byte(nil), au...)
				switch rng.IntN(3) {
				case 0:
					for k := 0; k < 5; k++ {
						in[rng.IntN(len(in))] ^= byte(1 << rng.IntN(8))
					}
				case 1:
					in = in[:rng.IntN(len(in))]
				default:
					for k := range in[len(in)/2:] {
						in[len(in)/2+k] = byte(rng.Uint32())
					}
				}
			}
			err := d.Decode(in, img)
			switch {
			case err == nil:
				counts["ok"]++
				if verr := analysis.ValidateBGR(*img); verr != nil {
					t.Fatal(verr)
				}
			case errors.Is(err, h264.ErrCorrupt):
				counts["corrupt"]++
			case errors.Is(err, h264.ErrNeedKeyframe):
				counts["need key"]++
			case errors.Is(err, h264.ErrNoPicture):
				counts["no picture"]++
			case errors.Is(err, analysis.ErrBadFrame):
				counts["bad frame"]++
			default:
				t.Fatalf("access unit %d: undocumented error %v", i, err)
			}
			if i%25 == 0 && len(in) == len(au) && &in[0] == &au[0] && err != nil {
				t.Errorf("intact IDR %d: %v", i, err)
			}
		}
	}
	t.Logf("%v", counts)
}

func TestDecoderClose(t *testing.T) {
	fx := clipFixture(t)
	d, err := h264.NewDecoder()
	if err != nil {
		t.Fatal(err)
	}
	img := newMat(t)
	if err := d.Decode(fx.aus[0], nil); err == nil {
		t.Error("nil dst accepted")
	}
	for i := 0; i < 2; i++ {
		if err := d.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
	if err := d.Decode(fx.aus[0], img); !errors.Is(err, h264.ErrClosed) {
		t.Errorf("Decode after Close: %v, want ErrClosed", err)
	}
}

// TestDecodeReusesMat checks dst keeps its memory while the size holds
// and a zero Mat is replaced by one the caller owns.
func TestDecodeReusesMat(t *testing.T) {
	fx := clipFixture(t)
	d := newDecoder(t)
	img := newMat(t)
	if err := d.Decode(fx.aus[0], img); err != nil {
		t.Fatal(err)
	}
	data, _ := img.DataPtrUint8()
	if err := d.Decode(fx.aus[1], img); err != nil {
		t.Fatal(err)
	}
	data2, _ := img.DataPtrUint8()
	if &data[0] != &data2[0] {
		t.Error("same-size decode reallocated dst")
	}
	var zero gocv.Mat
	if err := d.Decode(fx.aus[25], &zero); err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	if zero.Cols() != 400 {
		t.Errorf("zero Mat: %d wide, want 400", zero.Cols())
	}
}
