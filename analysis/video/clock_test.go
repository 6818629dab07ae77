package video

import (
	"math"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		name string
		fps  float64
		pos  []float64 // CAP_PROP_POS_MSEC after each frame
		want []time.Duration
	}{
		{
			name: "steady",
			fps:  25,
			pos:  []float64{0, 40, 80, 120},
			want: []time.Duration{0, 40 * ms, 80 * ms, 120 * ms},
		},
		{
			name: "no timestamps for the last frames (decoder drain)",
			fps:  25,
			pos:  []float64{0, 40, 80, 0, 0},
			want: []time.Duration{0, 40 * ms, 80 * ms, 120 * ms, 160 * ms},
		},
		{
			name: "no timestamps at all",
			fps:  24,
			pos:  []float64{0, 0, 0},
			want: []time.Duration{0, 41667 * time.Microsecond, 83333 * time.Microsecond},
		},
		{
			name: "rounding noise",
			fps:  25,
			pos:  []float64{0, 960.0000000000001},
			want: []time.Duration{0, 960 * ms},
		},
		{
			name: "reset to zero then continues from the previous frame",
			fps:  25,
			pos:  []float64{0, 40, 80, 0, 40, 80},
			want: []time.Duration{0, 40 * ms, 80 * ms, 120 * ms, 160 * ms, 200 * ms},
		},
		{
			name: "backwards jump keeps the later gap",
			fps:  25,
			pos:  []float64{1000, 1040, 500, 540, 1000},
			want: []time.Duration{1000 * ms, 1040 * ms, 1080 * ms, 1120 * ms, 1580 * ms},
		},
		{
			name: "duplicate and garbage timestamps",
			fps:  0, // unknown: 30 fps spacing
			pos:  []float64{0, 100, 100, math.NaN(), -5, math.Inf(1)},
			want: []time.Duration{0, 100 * ms, 133333 * time.Microsecond, 166667 * time.Microsecond, 200 * ms, 233333 * time.Microsecond},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(tt.fps)
			for i, p := range tt.pos {
				got := c.next(i, p)
				if d := got - tt.want[i]; d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("frame %d at %v ms: got %v, want %v", i, p, got, tt.want[i])
				}
			}
		})
	}
}
