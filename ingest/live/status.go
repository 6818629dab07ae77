package live

import (
	"encoding/json"
	"time"

	"github.com/unmaskhq/unmask/analysis/fuse"
)

// Status is a snapshot of a call for the API and the app.
type Status struct {
	Session   string    `json:"session"`
	Recording string    `json:"recording"`
	Started   time.Time `json:"started"`
	// State is pion's connection state ("connecting", "connected",
	// "disconnected", "failed", "closed"), then "ended".
	State     string `json:"state"`
	UserAgent string `json:"user_agent"`

	Video VideoStatus `json:"video"`
	Audio AudioStatus `json:"audio"`

	// The latest window's verdict.
	Windows int           `json:"windows"`
	Risk    float64       `json:"risk"`
	Level   string        `json:"level"`
	Reasons []fuse.Reason `json:"reasons"`

	Facts          json.RawMessage `json:"device_facts,omitempty"`
	Findings       []Finding       `json:"device_findings"`
	RecordingError string          `json:"recording_error,omitempty"`
}

// VideoStatus counts the video path.
type VideoStatus struct {
	Frames           int64   `json:"frames"` // decoded
	Analysed         int64   `json:"analysed"`
	WithFace         int64   `json:"with_face"`
	Dropped          int64   `json:"dropped"` // decoded but displaced before analysis
	DecodeErrors     int64   `json:"decode_errors"`
	KeyframeRequests int64   `json:"keyframe_requests"`
	Width            int     `json:"width"`
	Height           int     `json:"height"`
	FPS              float64 `json:"fps"` // measured over the last 2 s
	StartMS          int64   `json:"start_ms"`
	// Latency from a frame's last packet arriving to its analysis result,
	// over the last 1000 frames analysed (decode, queue, face pipeline,
	// measures and signals).
	LatencyMedianMS float64 `json:"latency_median_ms"`
	LatencyP95MS    float64 `json:"latency_p95_ms"`
}

// AudioStatus counts the audio path.
type AudioStatus struct {
	Packets int64   `json:"packets"`
	Errors  int64   `json:"errors"`
	Seconds float64 `json:"seconds"`
	StartMS int64   `json:"start_ms"`
	// Synced is set once RTCP sender reports placed the voice by capture
	// time; SyncedMS is how far that moved it from arrival timing.
	Synced   bool  `json:"synced"`
	SyncedMS int64 `json:"synced_ms"`
	// Level is the voice's recent loudness for a meter, 0 (below -60
	// dBFS) to 1 (full scale).
	Level float64 `json:"level"`
}
