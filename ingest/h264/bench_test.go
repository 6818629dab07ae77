package h264_test

import (
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/h264"
)

// benchSizes are the clip's native size and common WebRTC sizes, scaled
// up with ffmpeg before encoding.
var benchSizes = []struct{ name, scale string }{
	{"400x300", ""},
	{"1280x720", "1280:720"},
}

func sizeFixture(tb testing.TB, name, scale string) *fixture {
	tb.Helper()
	if scale == "" {
		return clipFixture(tb)
	}
	return encoded(tb, name, scale)
}

// BenchmarkDecode decodes real access units (Cap13, x264 baseline
// zerolatency, CRF 23) in a loop, BGR conversion included. The loop
// restarts at access unit 0, an IDR.
func BenchmarkDecode(b *testing.B) {
	for _, sz := range benchSizes {
		fx := sizeFixture(b, sz.name, sz.scale)
		{
			b.Run(sz.name, func(b *testing.B) {
				d := newDecoder(b)
				img := newMat(b)
				if err := d.Decode(fx.aus[0], img); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					if err := d.Decode(fx.aus[i%len(fx.aus)], img); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/frame")
			})
		}
	}
}

// BenchmarkConvert times the YUV -> BGR conversion (libswscale) alone.
func BenchmarkConvert(b *testing.B) {
	for _, sz := range benchSizes {
		fx := sizeFixture(b, sz.name, sz.scale)
		{
			b.Run(sz.name, func(b *testing.B) {
				d := newDecoder(b)
				img := newMat(b)
				if err := d.Decode(fx.aus[0], img); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					if err := h264.Reconvert(d, img); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/frame")
			})
		}
	}
}

// BenchmarkAssembler pushes the RTP packets of real access units (MTU
// 1200); one op is one packet.
func BenchmarkAssembler(b *testing.B) {
	fx := clipFixture(b)
	pkts := packetize(b, fx.aus, stream{mtu: 1200, ssrc: 1})
	a := h264.NewAssembler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%len(pkts) == 0 {
			for _, q := range pkts {
				q.SequenceNumber += uint16(len(pkts))
				q.Timestamp += uint32(len(fx.aus)) * rtpStep
			}
		}
		a.Push(pkts[i%len(pkts)].Packet)
	}
}
