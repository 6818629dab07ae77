package app

import "github.com/unmaskhq/unmask/models"

// Event names the window subscribes to with EventsOn. frontend/src/api/events.ts
// mirrors this file; change both together.
const (
	// EventModelStatus carries a ModelStatusEvent once the startup model
	// check has finished.
	EventModelStatus = "status:models"
)

// ModelStatusEvent is the payload of EventModelStatus.
type ModelStatusEvent struct {
	// Models holds one entry per registry model, sorted by name.
	Models []models.Status `json:"models"`
	// Missing counts the models that are absent or fail verification.
	Missing int `json:"missing"`
}
