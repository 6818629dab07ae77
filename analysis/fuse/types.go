package fuse

import (
	"time"

	"github.com/unmaskhq/unmask/analysis/signal"
)

// Level is the verdict shown to the user.
type Level string

const (
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
)

// Rank orders levels: low 0, medium 1, high 2.
func (l Level) Rank() int {
	switch l {
	case High:
		return 2
	case Medium:
		return 1
	}
	return 0
}

// Reason is one ranked reason behind a window's risk.
type Reason struct {
	Signal string  `json:"signal"`
	Text   string  `json:"text"`
	Weight float64 `json:"weight"` // the signal's share of the risk, 0..1
}

// Window is the fused judgement of one sliding window.
type Window struct {
	Start   time.Duration  `json:"-"`
	End     time.Duration  `json:"-"`
	Risk    float64        `json:"risk"`
	Level   Level          `json:"level"`
	Scores  []signal.Score `json:"-"` // one per signal, in the order signals were listed
	Reasons []Reason       `json:"reasons"`
	// EndFrame is the index of the last frame observed before the window
	// was scored: the frame to show when no signal points at one.
	EndFrame int `json:"-"`
}
