package measure_test

import (
	"fmt"
	"math"
	"os"
	"sort"
	"testing"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestDumpDistributions(t *testing.T) {
	if os.Getenv("UNMASK_DUMP") == "" {
		t.Skip("set UNMASK_DUMP=1")
	}
	for _, clip := range []string{clips.Franck, clips.Cap12, clips.Cap13} {
		vals := map[string][]float64{}
		add := func(k string, v float64) { vals[k] = append(vals[k], v) }
		facetest.Track(t, clip, 0, func(r analysis.FrameResult) {
			m := r.Measures
			if m == nil {
				add("nomeasure", 1)
				return
			}
			add("noise", m.Noise)
			if m.Diff >= 0 {
				add("diff", m.Diff)
			}
			if m.Face == nil {
				return
			}
			f := m.Face
			in, band, ring, outer, neck, eyes := f.Regions[0], f.Regions[1], f.Regions[2], f.Regions[3], f.Regions[4], f.Regions[5]
			add("sharp_in", in.Sharp)
			add("sharp_band/in", band.Sharp/in.Sharp)
			add("sharp_ring/in", ring.Sharp/in.Sharp)
			add("noise_in", in.Noise)
			add("noise_ring/in", ring.Noise/in.Noise)
			add("noise_outer/in", outer.Noise/in.Noise)
			add("block_in", in.Block)
			add("block_ring", ring.Block)
			add("skin_in", in.Skin)
			add("skin_ring", ring.Skin)
			add("skin_outer", outer.Skin)
			add("dL_band_in", band.Lab[0]-in.Lab[0])
			add("dE_band_ring", math.Sqrt(sq(band.Lab[0]-ring.Lab[0])+sq(band.Lab[1]-ring.Lab[1])+sq(band.Lab[2]-ring.Lab[2])))
			add("neck_px", float64(neck.Pixels))
			add("eyes_sharp/in", eyes.Sharp/in.Sharp)
			add("shade_x", f.Shade[0])
			add("scene_x", f.SceneShade[0])
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
			fmt.Printf("%s %-16s n=%5d p1=%8.3f p5=%8.3f p50=%8.3f p95=%8.3f p99=%8.3f\n", clip, k, len(v), q(0.01), q(0.05), q(0.5), q(0.95), q(0.99))
		}
	}
}

func sq(x float64) float64 { return x * x }
