package report

import (
	"encoding/json"
	"time"
)

// Schema is the version of the analyze JSON object and report.json; bump
// it on any incompatible change (docs/CLI.md).
const Schema = 2

// SignalNames are the seven signals in report order.
var SignalNames = []string{"temporal", "occlusion", "lighting", "lipsync", "boundary", "virtual_camera", "blink"}

// Summary is one signal over the whole input.
type Summary struct {
	Score   float64  `json:"score"`
	Valid   bool     `json:"valid"`
	Reasons []string `json:"reasons"`
	// PeakS is the end of the window where the score peaked, in seconds.
	PeakS float64 `json:"peak_s"`
	// Lip-sync only: the offset (positive: sound early) and the
	// confidence of the peak window.
	OffsetMs   *float64 `json:"offset_ms,omitempty"`
	Confidence *float64 `json:"confidence,omitempty"`
	// Offset marks the lip-sync summary, whose offset_ms and confidence
	// keys are always present (null when no clear offset was found), as
	// the CLI contract promises.
	Offset bool `json:"-"`
}

// MarshalJSON writes offset_ms and confidence as null rather than leaving
// them out when s.Offset is set.
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	if !s.Offset {
		return json.Marshal(plain(s))
	}
	return json.Marshal(struct {
		plain
		OffsetMs   *float64 `json:"offset_ms"`
		Confidence *float64 `json:"confidence"`
	}{plain(s), s.OffsetMs, s.Confidence})
}

// Window is one scored window of the timeline.
type Window struct {
	StartS  float64            `json:"start_s"`
	EndS    float64            `json:"end_s"`
	Risk    float64            `json:"risk"`
	Level   string             `json:"level"`
	Scores  map[string]float64 `json:"scores"` // valid signals only
	Reasons []Reason           `json:"reasons"`
}

// Reason is one ranked reason of a window.
type Reason struct {
	Signal string  `json:"signal"`
	Text   string  `json:"text"`
	Weight float64 `json:"weight"`
}

// Evidence is what was saved for one window that reached medium or high.
// Paths are relative to the output directory.
type Evidence struct {
	Window  int     `json:"window"` // index into Windows
	TimeS   float64 `json:"time_s"`
	Frame   int     `json:"frame"`
	Level   string  `json:"level"`
	Risk    float64 `json:"risk"`
	Signal  string  `json:"signal"` // the signal that drove the window
	Reason  string  `json:"reason"`
	Note    string  `json:"note,omitempty"`
	Plain   string  `json:"plain"`          // the frame as decoded (PNG)
	Marked  string  `json:"annotated"`      // box, landmarks, the driving region (PNG)
	Clip    string  `json:"clip,omitempty"` // about ±2 s around the frame (MP4), files only
	Metrics string  `json:"metrics"`        // the window's scores and metrics (JSON)
}

// Document is report.json: the verdict over one input, the timeline it
// came from and the evidence saved for it. The CLI embeds it in its own
// output, so it stays a plain struct of plain fields.
type Document struct {
	Schema int    `json:"schema"`
	Tool   string `json:"tool"`
	// Generated is when the report was made; WriteJSON writes it in UTC.
	Generated  time.Time          `json:"generated"`
	Input      Input              `json:"input"`
	Risk       float64            `json:"risk"`
	Level      string             `json:"level"`
	Thresholds Thresholds         `json:"thresholds"`
	Signals    map[string]Summary `json:"signals"`
	Windows    []Window           `json:"windows"`
	Evidence   []Evidence         `json:"evidence"`
	Warnings   []string           `json:"warnings"`
}

// Input identifies what was analysed; SHA256 ties the report to exactly
// those bytes.
type Input struct {
	Path     string  `json:"path"`
	SHA256   string  `json:"sha256"`
	Duration float64 `json:"duration_seconds"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	FPS      float64 `json:"fps"`
	HasAudio bool    `json:"has_audio"`
	// Audio is a separate WAV analysed with the video, when one was given.
	Audio string `json:"audio,omitempty"`
}

// Thresholds are the fused risks at which a window becomes medium and
// high; the report shades them on the timeline.
type Thresholds struct {
	Medium float64 `json:"medium"`
	High   float64 `json:"high"`
}

// Levels, as Window.Level, Evidence.Level and Document.Level spell them.
const (
	LevelLow    = "low"
	LevelMedium = "medium"
	LevelHigh   = "high"
)
