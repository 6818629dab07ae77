package vp8_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"

	"github.com/unmaskhq/unmask/internal/ingesttest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// Encoding settings of the fixtures: -g 25 puts a keyframe every second so
// that loss tests can check recovery; 500 kb/s is a typical WebRTC rate for
// this size.
const (
	fixtureSeconds = "3"
	fixtureFPS     = 25
	rtpClock       = 90000
	rtpStep        = rtpClock / fixtureFPS
)

// fixture is a VP8 encoding of the first seconds of a real clip.
type fixture struct {
	ivf    string   // the IVF file FFmpeg wrote
	source string   // the clip it was encoded from
	frames [][]byte // its frames, as pion's ivfreader reads them
	width  int
	height int
}

// fixtures are encoded once per test binary; TestMain removes them.
var fixtures = ingesttest.NewFixtures[*fixture]("vp8test")

// clipFixture returns Cap13 encoded at its native 400x300.
func clipFixture(tb testing.TB) *fixture { return encoded(tb, "native", "") }

// tinyFixture returns Cap13 at 64x48 and the coarsest quantisers: a
// 121-byte keyframe and inter frames of tens of bytes. Fuzz seeds use it
// because the fuzzer minimises each new input in time quadratic in its
// size; with the 6 KB keyframes of clipFixture it spent whole runs on that.
func tinyFixture(tb testing.TB) *fixture {
	return encoded(tb, "tiny", "64:48", "-qmin", "50", "-qmax", "63")
}

// encoded returns Cap13 encoded to VP8, scaled by the ffmpeg filter scale
// when it is not empty and with extra encoder arguments, once per test
// binary under name.
func encoded(tb testing.TB, name, scale string, extra ...string) *fixture {
	tb.Helper()
	return fixtures.Get(tb, name, func(dir string) *fixture {
		src := clips.Path(tb, clips.Cap13)
		out := filepath.Join(dir, name+".ivf")
		args := []string{"-i", src, "-t", fixtureSeconds, "-an"}
		if scale != "" {
			args = append(args, "-vf", "scale="+scale)
		}
		args = append(args, "-c:v", "libvpx", "-b:v", "500k", "-g", "25")
		args = append(append(args, extra...), "-f", "ivf", out)
		ingesttest.FFmpeg(tb, args...)
		fx := &fixture{ivf: out, source: src}
		fx.frames, fx.width, fx.height = readIVF(tb, out)
		return fx
	})
}

// readIVF reads every frame of an IVF file with pion's reader, as a check
// on this package's own.
func readIVF(tb testing.TB, path string) (frames [][]byte, w, h int) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, hdr, err := ivfreader.NewWith(f)
	if err != nil {
		tb.Fatalf("ivfreader %s: %v", path, err)
	}
	for {
		b, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("ivfreader %s frame %d: %v", path, len(frames), err)
		}
		frames = append(frames, b)
	}
	if len(frames) == 0 {
		tb.Fatalf("%s has no frames", path)
	}
	return frames, int(hdr.Width), int(hdr.Height)
}

// keyframes returns the indices of the keyframes among frames.
func keyframes(frames [][]byte) []int {
	var k []int
	for i, f := range frames {
		if f[0]&1 == 0 {
			k = append(k, i)
		}
	}
	return k
}

// stream describes how packetize numbers packets.
type stream struct {
	mtu    uint16
	seq    uint16 // first sequence number
	ts     uint32 // first RTP timestamp
	ssrc   uint32
	pictID bool // send the 15-bit PictureID, as libwebrtc does
}

// packet is one RTP packet and the index of the frame it carries.
type packet = ingesttest.Packet

// packetize splits frames into RTP packets with pion's VP8 payloader, as a
// WebRTC sender would: increasing sequence numbers, one timestamp per
// frame, the marker on each frame's last packet.
func packetize(tb testing.TB, frames [][]byte, s stream) []packet {
	tb.Helper()
	pay := &codecs.VP8Payloader{EnablePictureID: s.pictID}
	return ingesttest.Packetize(tb, frames, pay, ingesttest.Stream{MTU: s.mtu, Seq: s.seq, TS: s.ts, Step: rtpStep, SSRC: s.ssrc, PayloadType: 96})
}
