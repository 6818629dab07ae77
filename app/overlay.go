package app

import (
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/ingest/ivf"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/report"
)

// SignalNames are the seven signals in report order, as the frontend
// draws their bars (internal/wiring decides them).
var SignalNames = wiring.SignalNames

// Rect is a rectangle in frame pixels.
type Rect struct {
	X int `json:"x"`
	Y int `json:"y"`
	W int `json:"w"`
	H int `json:"h"`
}

// SignalScore is one signal's score in an overlay, with its first reason.
type SignalScore struct {
	Name   string  `json:"name"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
	Region *Rect   `json:"region"`
}

// Overlay is what the window draws over one frame.
type Overlay struct {
	Source        string        `json:"source"` // "live", "review", "camera"
	ID            string        `json:"id"`
	Frame         int           `json:"frame"`
	TimeMS        float64       `json:"timeMs"`
	Width         int           `json:"width"`
	Height        int           `json:"height"`
	Box           *Rect         `json:"box"`
	Landmarks     []float64     `json:"landmarks"` // x0, y0, x1, y1, ...
	Risk          float64       `json:"risk"`
	Level         string        `json:"level"`
	Signals       []SignalScore `json:"signals"`
	AudioLevel    float64       `json:"audioLevel"`
	LipOffsetMS   *float64      `json:"lipOffsetMs"`
	LipConfidence float64       `json:"lipConfidence"`
	Dropped       int64         `json:"dropped"`
	LatencyMS     float64       `json:"latencyMs"`
	FrameURL      string        `json:"frameURL"`
}

// RiskWindow is one analysis window of the timeline.
type RiskWindow struct {
	StartMS float64            `json:"startMs"`
	EndMS   float64            `json:"endMs"`
	Risk    float64            `json:"risk"`
	Level   string             `json:"level"`
	Scores  map[string]float64 `json:"scores"`
	Reasons []string           `json:"reasons"`
}

func newRiskWindow(w report.Window) RiskWindow {
	out := RiskWindow{StartMS: w.StartS * 1000, EndMS: w.EndS * 1000, Risk: w.Risk, Level: w.Level,
		Scores: map[string]float64{}, Reasons: []string{}}
	for _, n := range SignalNames {
		out.Scores[n] = w.Scores[n]
	}
	for _, r := range w.Reasons {
		out.Reasons = append(out.Reasons, r.Text)
	}
	return out
}

// emptySignals is every signal at zero with no reason.
func emptySignals() []SignalScore {
	out := make([]SignalScore, len(SignalNames))
	for i, n := range SignalNames {
		out[i] = SignalScore{Name: n}
	}
	return out
}

// windowSignals is w's score of every signal with its strongest reason.
func windowSignals(w report.Window) []SignalScore {
	out := emptySignals()
	for i := range out {
		out[i].Score = w.Scores[out[i].Name]
		for _, r := range w.Reasons { // ranked: the first is the strongest
			if r.Signal == out[i].Name {
				out[i].Reason = r.Text
				break
			}
		}
	}
	return out
}

// fillInfo copies the decoder's facts about the input into info.
func fillInfo(info *ReviewInfo, src frameSource) {
	switch s := src.(type) {
	case *video.FileSource:
		vi := s.Info()
		info.Width, info.Height, info.FPS = vi.Width, vi.Height, vi.FPS
		info.DurationMS = float64(vi.Duration.Milliseconds())
		info.Frames = int(vi.ExpectedFrames())
	case *ivf.Source:
		vi := s.Info()
		info.Width, info.Height, info.FPS, info.Frames = vi.Width, vi.Height, vi.FPS, vi.Frames
		if vi.Picture.X > 0 {
			info.Width, info.Height = vi.Picture.X, vi.Picture.Y
		}
		if vi.FPS > 0 && vi.Frames > 0 {
			info.DurationMS = float64(vi.Frames) * 1000 / vi.FPS
		}
	}
}
