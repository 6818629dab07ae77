package vp8_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/vp8"
)

// benchSizes are the clip's native size and common WebRTC sizes.
var benchSizes = []struct{ name, scale string }{
	{"400x300", ""},
	{"640x480", "640:480"},
	{"1280x720", "1280:720"},
}

// sizeFixture returns the clip encoded at one of benchSizes.
func sizeFixture(tb testing.TB, name, scale string) *fixture {
	tb.Helper()
	if scale == "" {
		return clipFixture(tb)
	}
	return encoded(tb, name, scale)
}

// BenchmarkDecode decodes real frames (Cap13, 500 kb/s) in a loop, with
// each BGR converter, at the clip's native size and scaled up to common
// WebRTC sizes. The loop restarts at frame 0, a keyframe.
func BenchmarkDecode(b *testing.B) {
	for _, sz := range benchSizes {
		fx := sizeFixture(b, sz.name, sz.scale)
		for _, conv := range []string{"c", "opencv"} {
			b.Run(fmt.Sprintf("%s/%s", sz.name, conv), func(b *testing.B) {
				d := newDecoder(b)
				vp8.SetCConvert(d, conv == "c")
				img := newMat(b)
				if err := d.Decode(fx.frames[0], img); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					if err := d.Decode(fx.frames[i%len(fx.frames)], img); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/frame")
			})
		}
	}
}

// BenchmarkConvert times the I420 -> BGR conversion alone, with each
// converter, on the first frame of each size.
func BenchmarkConvert(b *testing.B) {
	for _, sz := range benchSizes {
		fx := sizeFixture(b, sz.name, sz.scale)
		for _, conv := range []string{"c", "opencv"} {
			b.Run(fmt.Sprintf("%s/%s", sz.name, conv), func(b *testing.B) {
				d := newDecoder(b)
				vp8.SetCConvert(d, conv == "c")
				img := newMat(b)
				if err := d.Decode(fx.frames[0], img); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					if err := vp8.Reconvert(d, img); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/frame")
			})
		}
	}
}

// BenchmarkAssembler pushes the RTP packets of real frames (MTU 1200);
// one op is one packet. Sequence numbers and timestamps advance on every
// pass so that the stream never looks repeated.
func BenchmarkAssembler(b *testing.B) {
	fx := clipFixture(b)
	pkts := packetize(b, fx.frames, stream{mtu: 1200, ssrc: 1})
	bytes := 0
	for _, p := range pkts {
		bytes += len(p.Payload)
	}
	a := vp8.NewAssembler()
	b.SetBytes(int64(bytes / len(pkts)))
	b.ReportAllocs()
	b.ResetTimer()
	frames := 0
	for i := 0; i < b.N; i++ {
		p := pkts[i%len(pkts)].Packet
		if i > 0 && i%len(pkts) == 0 {
			for _, q := range pkts {
				q.SequenceNumber += uint16(len(pkts))
				q.Timestamp += uint32(len(fx.frames)) * rtpStep
			}
		}
		if _, ok, _ := a.Push(p); ok {
			frames++
		}
	}
	if b.N >= len(pkts) && frames == 0 {
		b.Fatal("no frames assembled")
	}
}
