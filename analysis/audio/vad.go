package audio

import (
	"math"
	"slices"
	"time"
)

// VADConfig tunes VAD; the zero value means the defaults below.
type VADConfig struct {
	// Hop is the envelope's hop (default DefaultHop).
	Hop time.Duration
	// FloorPercentile is the percentile of the envelope taken as the noise
	// floor (default 10). Conversation is silent 20-50% of the time
	// (Brady, "A statistical analysis of on-off patterns in 16 conversations",
	// Bell Syst. Tech. J. 1968), so the 10th percentile lands on pauses;
	// minimum-statistics noise estimators (Martin, IEEE Trans. SAP 2001)
	// rest on the same observation.
	FloorPercentile float64
	// MarginDB is how far above the floor a hop must be to count as voice
	// (default 12 dB). Speech-band levels of speech sit 20-40 dB above
	// room noise for a close microphone; 12 dB keeps weak consonants while
	// staying clear of the few-dB fluctuation of steady noise.
	MarginDB float64
	// MinLevelDB is an absolute level below which nothing is voice
	// (default -60 dBFS): 36 dB under a normal -24 dBFS speech level, so a
	// silent or dithered track is never called active however low its
	// floor.
	MinLevelDB float64
	// Hangover keeps a decision active after the level drops (default
	// 150 ms), bridging stop closures and the decay of words, as in the
	// hangover of the ITU-T G.729 Annex B and ETSI AMR VADs. A negative
	// value disables it.
	Hangover time.Duration
}

// Default VAD parameters; see VADConfig for the reasons.
const (
	DefaultFloorPercentile = 10
	DefaultMarginDB        = 12
	DefaultMinLevelDB      = -60
	DefaultHangover        = 150 * time.Millisecond
)

// VAD marks each hop of env (an Envelope with DefaultHop) as voice or not,
// with the default VADConfig.
func VAD(env []float64) []bool {
	return VADConfig{}.Detect(env)
}

// Detect marks each hop of env as voice when its level exceeds both the
// adaptive threshold (noise floor percentile + margin) and the absolute
// minimum, then extends every active run by the hangover. NaN levels count
// as silence. Detect does not retain env.
func (c VADConfig) Detect(env []float64) []bool {
	c = c.withDefaults()
	out := make([]bool, len(env))
	if len(env) == 0 {
		return out
	}
	sorted := make([]float64, 0, len(env))
	for _, v := range env {
		if !math.IsNaN(v) {
			sorted = append(sorted, v)
		}
	}
	if len(sorted) == 0 {
		return out
	}
	slices.Sort(sorted)
	floor := sorted[int(float64(len(sorted)-1)*c.FloorPercentile/100)]
	thr := math.Max(floor+c.MarginDB, c.MinLevelDB)
	hang := int(math.Round(float64(c.Hangover) / float64(c.Hop)))
	left := 0
	for i, v := range env {
		if v > thr { // false for NaN
			out[i] = true
			left = hang
		} else if left > 0 {
			out[i] = true
			left--
		}
	}
	return out
}

func (c VADConfig) withDefaults() VADConfig {
	if c.Hop <= 0 {
		c.Hop = DefaultHop
	}
	if c.FloorPercentile <= 0 || c.FloorPercentile > 100 {
		c.FloorPercentile = DefaultFloorPercentile
	}
	if c.MarginDB <= 0 {
		c.MarginDB = DefaultMarginDB
	}
	if c.MinLevelDB == 0 {
		c.MinLevelDB = DefaultMinLevelDB
	}
	if c.Hangover < 0 {
		c.Hangover = 0
	} else if c.Hangover == 0 {
		c.Hangover = DefaultHangover
	}
	return c
}
