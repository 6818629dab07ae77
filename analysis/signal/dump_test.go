package signal_test

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestDumpWindows(t *testing.T) {
	if os.Getenv("UNMASK_DUMP") == "" {
		t.Skip("set UNMASK_DUMP=1")
	}
	for _, clip := range []string{clips.Franck, clips.Cap12, clips.Cap13} {
		sigs := []signal.Signal{signal.NewTemporal(signal.TemporalConfig{}), signal.NewOcclusion(signal.OcclusionConfig{}),
			signal.NewLighting(signal.LightingConfig{}), signal.NewBoundary(signal.BoundaryConfig{}), signal.NewVirtualCamera(signal.VirtualCameraConfig{})}
		vals := map[string][]float64{}
		next := 2 * time.Second
		facetest.Track(t, clip, 0, func(r analysis.FrameResult) {
			for r.Time > next {
				for _, s := range sigs {
					sc := s.Score(next)
					if !sc.Valid {
						continue
					}
					vals[sc.Signal+".score"] = append(vals[sc.Signal+".score"], sc.Value)
					for k, v := range sc.Metrics {
						vals[sc.Signal+"."+k] = append(vals[sc.Signal+"."+k], v)
					}
				}
				next += time.Second
			}
			for _, s := range sigs {
				s.Observe(r)
			}
		})
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := vals[k]
			sort.Float64s(v)
			q := func(p float64) float64 { return v[int(p*float64(len(v)-1))] }
			fmt.Printf("%-16s %-34s n=%4d p1=%8.3f p50=%8.3f p95=%8.3f p99=%8.3f max=%8.3f\n", clip, k, len(v), q(0.01), q(0.5), q(0.95), q(0.99), v[len(v)-1])
		}
	}
}
