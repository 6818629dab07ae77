package record_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/unmaskhq/unmask/ingest/record"
)

// A session records from a video and an audio goroutine; a stop (size
// cap, disk error) is logged once and the call goes on unrecorded.
func ExampleCreate() {
	dir := filepath.Join(os.TempDir(), "sessions", "3f9c2a")
	r, err := record.Create(dir, record.Config{SessionID: "3f9c2a"})
	if err != nil {
		slog.Error("recording not started", "err", err)
		return
	}
	r.SetDeviceFacts(json.RawMessage(`{"camera":"Integrated Webcam"}`))

	// In the video goroutine, per reassembled VP8 frame:
	var frame []byte
	var ts uint32
	if err := r.WriteVideo(frame, ts, frame[0]&1 == 0); errors.Is(err, record.ErrStopped) {
		slog.Warn("recording stopped", "err", err)
	}
	// In the audio goroutine, per decoded Opus packet (48 kHz mono):
	var pcm []float32
	r.WriteAudio(pcm, ts)

	m, err := r.Close(record.EndPeerLost)
	if err != nil {
		slog.Error("recording not finalised; record.Recover will finish it", "dir", dir, "err", err)
	}
	_ = m.Video.SHA256
}

// At start-up, finish every session a crash left open.
func ExampleRecover() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "sessions", "*"))
	for _, dir := range dirs {
		if !record.IsSession(dir) {
			continue
		}
		m, err := record.Recover(dir) // a no-op for finalised sessions
		if err != nil {
			slog.Warn("session not recovered", "dir", dir, "err", err)
			continue
		}
		if m.EndReason == record.EndRecovered {
			slog.Info("session recovered", "dir", dir, "frames", m.Video.Frames)
		}
	}
}
