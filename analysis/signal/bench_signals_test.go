package signal_test

import (
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis/signal"
)

// BenchmarkSignals measures the whole signal set on real face results of
// franck.mp4 (pixel statistics included): every frame observed by all
// seven signals and, once per second of media, every signal scored, as
// the timeline does. ns/op is the cost per frame on top of the face
// pipeline and the measuring stage (BenchmarkMeasure).
func BenchmarkSignals(b *testing.B) {
	rs := talker(b)
	sigs := []signal.Signal{
		signal.NewTemporal(signal.TemporalConfig{}), signal.NewOcclusion(signal.OcclusionConfig{}),
		signal.NewLighting(signal.LightingConfig{}), signal.NewLipSync(voiceFor(rs, 0), signal.LipSyncConfig{}),
		signal.NewBoundary(signal.BoundaryConfig{}), signal.NewVirtualCamera(signal.VirtualCameraConfig{}),
		signal.NewBlink(signal.BlinkConfig{}),
	}
	b.ReportAllocs()
	b.ResetTimer()
	next := 2 * time.Second
	for i := 0; i < b.N; i++ {
		r := rs[i%len(rs)]
		if i%len(rs) == 0 && i > 0 {
			b.StopTimer() // a new pass starts the signals afresh
			sigs = []signal.Signal{
				signal.NewTemporal(signal.TemporalConfig{}), signal.NewOcclusion(signal.OcclusionConfig{}),
				signal.NewLighting(signal.LightingConfig{}), signal.NewLipSync(voiceFor(rs, 0), signal.LipSyncConfig{}),
				signal.NewBoundary(signal.BoundaryConfig{}), signal.NewVirtualCamera(signal.VirtualCameraConfig{}),
				signal.NewBlink(signal.BlinkConfig{}),
			}
			next = 2 * time.Second
			b.StartTimer()
		}
		for r.Time > next {
			for _, s := range sigs {
				s.Score(next)
			}
			next += time.Second
		}
		for _, s := range sigs {
			if err := s.Observe(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}
