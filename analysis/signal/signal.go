package signal

import (
	"image"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// Signal is one deepfake cue.
type Signal interface {
	// Name is the signal's key in reports ("blink", "temporal", ...).
	Name() string
	// Observe takes one frame's face result, with its pixel statistics
	// in r.Measures when the pipeline measured them. Frames arrive in time
	// order; r may be kept (it holds no images).
	Observe(r analysis.FrameResult) error
	// Score rates the window that ends at end.
	Score(end time.Duration) Score
}

// Score is one signal's judgement of one window.
type Score struct {
	Signal string        `json:"signal"`
	Start  time.Duration `json:"start_ns"`
	End    time.Duration `json:"end_ns"`
	// Value in [0,1]: 0 nothing suspicious, 1 as strong as the signal gets.
	Value float64 `json:"score"`
	// Valid is false when the window held too little to judge (no face,
	// too few frames, no audio); Value is then 0 and Reasons say why.
	Valid   bool     `json:"valid"`
	Reasons []string `json:"reasons"`
	// Frames and Regions point at the evidence: frame indices, and image
	// regions in frame pixels (parallel to Frames where both are given).
	Frames  []int             `json:"frames,omitempty"`
	Regions []image.Rectangle `json:"regions,omitempty"`
	// Metrics are the measured quantities behind Value, for reports.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}
