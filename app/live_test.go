package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/internal/ingesttest"
	"github.com/unmaskhq/unmask/models"
)

// waitFor polls until ok holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A candidate publishes over WHIP to the window's own server: the overlay
// arrives, a moment is marked as hashed evidence, the interview ends and
// its verdict lands in the list of past sessions.
func TestLiveInterviewOverlayMarkAndEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("publishes a real clip for 10 s")
	}
	db, dir := openDB(t)
	settings := app.NewSettingsService(db, dir)
	engine := app.NewEngineLoader(models.Default(), "hog")
	defer engine.Close()
	live := app.NewLiveService(app.LiveConfig{Engine: engine.Load, Settings: settings, DB: db, Port: freePort(t)})
	rec := &recorder{}
	life := app.NewLifecycle([]app.Service{settings, live}, app.WithRuntime(rec.runtime))
	life.Startup(t.Context())
	defer life.Shutdown(t.Context())

	if _, err := live.NewInterview(strings.Repeat("x", 201)); err == nil {
		t.Error("a 201-character title: no error")
	}
	iv, err := live.NewInterview("Backend engineer, round 2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(iv.CandidateURL, "http://127.0.0.1:") || !strings.Contains(iv.WHIPURL, "/whip/") || len(iv.Token) < 32 {
		t.Fatalf("interview = %+v", iv)
	}
	if _, err := live.Mark(iv.ID, "too early"); err == nil {
		t.Error("a mark before any video: no error")
	}
	media := t.TempDir()
	ivf, ogg := ingesttest.CallMedia(t, media, 10)
	c, resp, body := ingesttest.Publish(t, iv.WHIPURL, iv.Token, webrtc.MimeTypeVP8)
	if c == nil {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}
	done := make(chan struct{})
	go func() { defer close(done); c.Play(t, ivf, ogg, 10*time.Second) }()

	var ov app.Overlay
	waitFor(t, 30*time.Second, "an overlay with a face", func() bool {
		for _, e := range rec.recorded() {
			if o, ok := e.payload.(app.Overlay); ok && e.name == app.EventLiveOverlay && o.Box != nil && o.FrameURL != "" {
				ov = o
			}
		}
		return ov.Box != nil
	})
	if ov.Source != "live" || ov.ID != iv.ID || len(ov.Landmarks) != 136 || ov.Width != 400 || ov.Height != 300 {
		t.Errorf("overlay = %+v", ov)
	}
	rr := httptest.NewRecorder()
	app.FrameHandler{Live: live}.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, ov.FrameURL, nil))
	if rr.Code != http.StatusOK || !bytes.HasPrefix(rr.Body.Bytes(), []byte{0xFF, 0xD8}) {
		t.Errorf("%s: HTTP %d", ov.FrameURL, rr.Code)
	}
	// The overlay comes at 12 Hz, never once per frame (25 fps here); it
	// is sent only when a new frame was analysed, so a machine too busy
	// to analyse 6 frames a second sends fewer (other tests share it).
	time.Sleep(2 * time.Second)
	n0 := countEvents(rec, app.EventLiveOverlay)
	time.Sleep(2 * time.Second)
	n := countEvents(rec, app.EventLiveOverlay) - n0
	t.Logf("%d overlay events in 2 s", n)
	if n < 12 || n > 26 {
		t.Errorf("%d overlay events in 2 s, want about 24 (12 Hz)", n)
	}

	mark, err := live.Mark(iv.ID, "candidate looked away while answering")
	if err != nil {
		t.Fatal(err)
	}
	if mark.ID == 0 || mark.AtMS <= 0 {
		t.Errorf("mark = %+v", mark)
	}
	if _, err := evidence.Verify(mark.Evidence); err != nil {
		t.Errorf("the marked moment's evidence does not verify: %v", err)
	}
	var moment struct {
		Note    string
		Overlay app.Overlay
	}
	b, _ := os.ReadFile(filepath.Join(mark.Evidence, "moment.json"))
	if err := json.Unmarshal(b, &moment); err != nil || moment.Note != "candidate looked away while answering" || moment.Overlay.ID != iv.ID {
		t.Errorf("moment.json = %s (%v)", b, err)
	}
	<-done
	if err := live.EndInterview(iv.ID); err != nil {
		t.Fatal(err)
	}
	if err := live.EndInterview(iv.ID); err == nil {
		t.Error("ending twice: no error")
	}
	waitFor(t, 20*time.Second, "the verdict in the session list", func() bool {
		s, err := db.Session(t.Context(), iv.ID)
		return err == nil && !s.EndedAt.IsZero() && s.Folder != ""
	})
	s, _ := db.Session(t.Context(), iv.ID)
	if s.Kind != "live" || s.Title != "Backend engineer, round 2" || s.Frames < 150 || s.Level == "" {
		t.Errorf("stored = %+v", s)
	}
	if !strings.HasPrefix(mark.Evidence, s.Folder) {
		t.Errorf("the mark %s is not inside the recording %s", mark.Evidence, s.Folder)
	}

	// The recorded call opens for review like a file, frame for frame.
	review := app.NewReviewService(app.ReviewConfig{Analyzer: analyzerBin(t), DB: db, CasesDir: settings.CasesDir})
	rl := app.NewLifecycle([]app.Service{review}, app.WithRuntime(rec.runtime))
	rl.Startup(t.Context())
	defer rl.Shutdown(t.Context())
	info, err := review.Open(s.Folder)
	if err != nil {
		t.Fatal(err)
	}
	var p app.ReviewProgress
	waitFor(t, 2*time.Minute, "the recorded call's analysis", func() bool {
		p, _ = review.Progress(info.ID)
		return p.Finished
	})
	if p.Error != "" || p.Done < 150 || info.Width != 400 {
		t.Fatalf("review of the recording: %+v, info %+v", p, info)
	}
	ovs, err := review.Overlays(info.ID, 100, 1)
	if err != nil || len(ovs) != 1 || ovs[0].Box == nil {
		t.Errorf("overlay of frame 100 of the recording: %+v, %v", ovs, err)
	}
	if got, _ := db.Session(t.Context(), info.ID); got.Kind != "live" {
		t.Errorf("a reviewed call is listed as %q", got.Kind)
	}
}

func countEvents(r *recorder, name string) int {
	n := 0
	for _, e := range r.recorded() {
		if e.name == name {
			n++
		}
	}
	return n
}
