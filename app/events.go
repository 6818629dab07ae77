package app

import "github.com/unmaskhq/unmask/models"

// Event names the window subscribes to with EventsOn. frontend/src/api/types.ts
// mirrors the payloads; change both together.
const (
	// EventModelStatus carries a ModelStatusEvent once the startup model
	// check has finished.
	EventModelStatus = "status:models"
	// EventReviewProgress carries a ReviewProgress at most 10 times a
	// second while a recording is analysed, and once when it ends.
	EventReviewProgress = "review:progress"
	// EventReviewWindow carries a ReviewWindowEvent per window once the
	// analysis has finished.
	EventReviewWindow = "review:window"
	// EventLiveOverlay carries an Overlay of a live call or local camera,
	// at most overlayRate times a second and only when it changed.
	EventLiveOverlay = "live:overlay"
	// EventLiveState carries a LiveState once a second and on changes.
	EventLiveState = "live:state"
	// EventChallengeUpdate carries a ChallengeUpdate four times a second
	// while a challenge runs, and its result.
	EventChallengeUpdate = "challenge:update"
)

// ModelStatusEvent is the payload of EventModelStatus.
type ModelStatusEvent struct {
	// Models holds one entry per registry model, sorted by name.
	Models []models.Status `json:"models"`
	// Missing counts the models that are absent or fail verification.
	Missing int `json:"missing"`
}

// ReviewProgress is the payload of EventReviewProgress.
type ReviewProgress struct {
	ID       string  `json:"id"`
	Done     int     `json:"done"`
	Total    int     `json:"total"` // 0 when the input does not say
	FPS      float64 `json:"fps"`
	Finished bool    `json:"finished"`
	Error    string  `json:"error"`
}

// ReviewWindowEvent is the payload of EventReviewWindow.
type ReviewWindowEvent struct {
	ID     string     `json:"id"`
	Window RiskWindow `json:"window"`
}

// DeviceFinding is one thing the candidate's devices show, for the
// device panel.
type DeviceFinding struct {
	Kind     string  `json:"kind"`
	Label    string  `json:"label"`
	Product  string  `json:"product"`
	Reason   string  `json:"reason"`
	Strength float64 `json:"strength"`
}

// LiveState is the payload of EventLiveState.
type LiveState struct {
	ID      string          `json:"id"`
	Source  string          `json:"source"` // "live" or "camera"
	State   string          `json:"state"`  // "waiting", "connected", "ended"
	Message string          `json:"message"`
	Devices []DeviceFinding `json:"devices"`
}

// ChallengeUpdate is the payload of EventChallengeUpdate.
type ChallengeUpdate struct {
	ID          string   `json:"id"`
	SessionID   string   `json:"sessionId"`
	Kind        string   `json:"kind"`
	RemainingMS int64    `json:"remainingMs"`
	State       string   `json:"state"` // "running", "scoring", "done"
	Passed      bool     `json:"passed"`
	Score       float64  `json:"score"`
	Reasons     []string `json:"reasons"`
}
