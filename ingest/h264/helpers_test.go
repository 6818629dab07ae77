package h264_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"

	"github.com/unmaskhq/unmask/internal/ingesttest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// Encoding settings of the fixtures, as OBS publishes WHIP: x264 baseline,
// zerolatency (no B-frames, no lookahead, sliced threads), an IDR every
// second (-g 25) so that loss tests can check recovery.
const (
	fixtureSeconds = "3"
	fixtureFPS     = 25
	rtpClock       = 90000
	rtpStep        = rtpClock / fixtureFPS
)

var annexB = []byte{0, 0, 0, 1}

// fixture is an H.264 encoding of the first seconds of a real clip.
type fixture struct {
	file   string   // the Annex-B file FFmpeg wrote
	source string   // the clip it was encoded from
	aus    [][]byte // its access units, 4-byte start codes, no AUD/filler
	nals   int      // NAL units in all
}

// fixtures are encoded once per test binary; TestMain removes them.
var fixtures = ingesttest.NewFixtures[*fixture]("h264test")

// clipFixture returns Cap13 encoded at its native 400x300.
func clipFixture(tb testing.TB) *fixture { return encoded(tb, "native", "") }

// tinyFixture returns Cap13 at 64x48 with coarse quantisers: access units
// of tens to hundreds of bytes, small enough for fuzz seeds.
func tinyFixture(tb testing.TB) *fixture {
	return encoded(tb, "tiny", "64:48", "-qmin", "45", "-qmax", "51", "-x264-params", "sliced-threads=0")
}

// encoded returns Cap13 encoded to H.264 Annex-B as OBS would send it,
// scaled by the ffmpeg filter scale when not empty, with extra encoder
// arguments, once per test binary under name.
func encoded(tb testing.TB, name, scale string, extra ...string) *fixture {
	tb.Helper()
	return fixtures.Get(tb, name, func(dir string) *fixture {
		src := clips.Path(tb, clips.Cap13)
		out := filepath.Join(dir, name+".h264")
		args := []string{"-i", src, "-t", fixtureSeconds, "-an"}
		if scale != "" {
			args = append(args, "-vf", "scale="+scale)
		}
		args = append(args, "-c:v", "libx264", "-profile:v", "baseline", "-tune", "zerolatency", "-g", "25")
		args = append(append(args, extra...), "-bsf:v", "h264_mp4toannexb", "-f", "h264", out)
		ingesttest.FFmpeg(tb, args...)
		fx := &fixture{file: out, source: src}
		fx.aus, fx.nals = readAnnexB(tb, out)
		return fx
	})
}

// readAnnexB splits an Annex-B file into access units with pion's
// h264reader (ITU-T H.264 §7.4.1.2.3): a new one starts at an AUD, SPS,
// PPS or SEI after a slice, or at a slice with first_mb_in_slice = 0 (its
// first bit set) after a slice. AUD and filler NAL units are left out, as
// pion's payloader leaves them out.
func readAnnexB(tb testing.TB, path string) (aus [][]byte, nals int) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := h264reader.NewReaderWithOptions(f, h264reader.WithIncludeSEI(true))
	if err != nil {
		tb.Fatal(err)
	}
	var cur []byte
	hasSlice := false
	for {
		nal, err := r.NextNAL()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("h264reader %s: %v", path, err)
		}
		t := nal.Data[0] & 0x1f
		slice := t >= 1 && t <= 5
		starts := hasSlice && (t >= 6 && t <= 9 || slice && len(nal.Data) > 1 && nal.Data[1]&0x80 != 0)
		if starts {
			aus = append(aus, cur)
			cur, hasSlice = nil, false
		}
		hasSlice = hasSlice || slice
		if t == 9 || t == 12 {
			continue
		}
		cur = append(append(cur, annexB...), nal.Data...)
		nals++
	}
	if len(cur) > 0 {
		aus = append(aus, cur)
	}
	if len(aus) == 0 {
		tb.Fatalf("%s has no access units", path)
	}
	return aus, nals
}

// keyframes returns the indices of the IDR access units.
func keyframes(aus [][]byte) []int {
	var k []int
	for i, au := range aus {
		if bytes.Contains(au, []byte{0, 0, 1, 0x65}) || bytes.Contains(au, []byte{0, 0, 1, 0x45}) || bytes.Contains(au, []byte{0, 0, 1, 0x25}) {
			k = append(k, i)
		}
	}
	return k
}

// stream describes how packetize numbers packets.
type stream struct {
	mtu  uint16
	seq  uint16 // first sequence number
	ts   uint32 // first RTP timestamp
	ssrc uint32
}

// packet is one RTP packet and the index of the frame it carries.
type packet = ingesttest.Packet

// packetize splits access units into RTP packets with pion's H.264
// payloader, as a WebRTC sender would: increasing sequence numbers, one
// timestamp per access unit, the marker on each one's last packet.
func packetize(tb testing.TB, aus [][]byte, s stream) []packet {
	tb.Helper()
	pay := &codecs.H264Payloader{}
	return ingesttest.Packetize(tb, aus, pay, ingesttest.Stream{MTU: s.mtu, Seq: s.seq, TS: s.ts, Step: rtpStep, SSRC: s.ssrc, PayloadType: 102})
}
