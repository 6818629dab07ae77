package opusdec_test

import (
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/opusdec"
)

// BenchmarkDecode decodes 8.3 s of real speech as browsers send it (48 kHz
// mono, 20 ms packets) in each mode, and reports the cost of one packet.
func BenchmarkDecode(b *testing.B) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"hybrid-32k", []string{"-application", "voip", "-b:a", "32k", "-fec", "1", "-packet_loss", "10"}},
		{"silk-12k", []string{"-application", "voip", "-b:a", "12k"}},
		{"celt-64k", []string{"-application", "audio", "-b:a", "64k"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := load(b, encode(b, monoSpeech(b, b.TempDir()), tc.args...))
			d := opusdec.NewDecoder()
			buf := make([]float32, 0, opusdec.MaxPacketSamples)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			packets := 0
			for b.Loop() {
				for _, p := range s.packets {
					var err error
					if buf, err = d.AppendDecode(buf[:0], p); err != nil {
						b.Fatal(err)
					}
				}
				packets += len(s.packets)
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/float64(packets), "µs/packet")
		})
	}
}
