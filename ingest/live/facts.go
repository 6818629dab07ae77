package live

import (
	"encoding/json"
	"time"

	"github.com/unmaskhq/unmask/ingest/devices"
)

// Finding is one device fact that bears on the virtual-camera signal.
type Finding = devices.Finding

// assessFacts parses the candidate page's report and names what it shows.
func assessFacts(raw json.RawMessage) ([]Finding, error) {
	f, err := devices.ParseFacts(raw)
	if err != nil {
		return nil, err
	}
	return devices.Assess(f), nil
}

// receivedAfter is how much video must arrive before its size and rate are
// compared with what the browser said it sends: long enough for the
// sender's bandwidth estimate to settle.
const receivedAfter = 5 * time.Second

// checkReceived compares, once, the frames received with the settings the
// page reported (video reader's goroutine).
func (c *Call) checkReceived(w, h int, at time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checked || c.status.Facts == nil || at-time.Duration(c.status.Video.StartMS)*time.Millisecond < receivedAfter {
		return
	}
	c.checked = true
	f, err := devices.ParseFacts(c.status.Facts)
	if err != nil || f.VideoTrack == nil {
		return
	}
	span := at - time.Duration(c.status.Video.StartMS)*time.Millisecond
	got := devices.Received{Width: w, Height: h, Frames: int(c.status.Video.Frames), Span: span}
	for _, fd := range devices.CompareReceived(f.VideoTrack.Settings, got) {
		c.status.Findings = append(c.status.Findings, fd)
		c.notes = append(c.notes, note{fd.Reason, fd.Strength})
	}
}
