package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/ingest/camera"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// A real clip stands in for the camera: the capture path, the overlay,
// the device findings and a challenge run as they do on a webcam.
func TestCameraOverlayDevicesAndChallenge(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses a real clip")
	}
	defer checkGoroutines(t)()
	clip := clips.Path(t, clips.Cap12)
	loopback := camera.Camera{Device: "/dev/video7", Index: 7, Name: "Dummy video device (0x0000)", Driver: "v4l2 loopback",
		Capture: true, Virtual: true, Reason: "the kernel driver is v4l2loopback, which plays any video as a camera"}
	engine := app.NewEngineLoader(models.Default(), "hog")
	defer engine.Close()
	cams := app.NewCameraService(app.CameraConfig{Engine: engine.Load,
		List: func() ([]camera.Camera, error) { return []camera.Camera{loopback}, nil },
		Open: func(string) (*gocv.VideoCapture, error) { return gocv.OpenVideoCapture(clip) }})
	challenges := app.NewChallengeService(cams)
	rec := &recorder{}
	life := app.NewLifecycle([]app.Service{cams, challenges}, app.WithRuntime(rec.runtime))
	life.Startup(t.Context())
	defer life.Shutdown(t.Context())

	list, err := cams.List()
	if err != nil || len(list) != 1 || !list[0].Virtual {
		t.Fatalf("List = %v, %v", list, err)
	}
	if _, err := challenges.Start("nope", "hand"); err == nil {
		t.Error("a challenge on an unknown session: no error")
	}
	id, err := cams.Start("/dev/video7")
	if err != nil {
		t.Fatal(err)
	}
	// Wait for overlays with a face and a scored window.
	var ov app.Overlay
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range rec.recorded() {
			if o, ok := e.payload.(app.Overlay); ok && e.name == app.EventLiveOverlay && o.Box != nil && o.TimeMS > 3000 {
				ov = o
			}
		}
		if ov.Box != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ov.Box == nil {
		t.Fatal("no overlay with a face after 60 s")
	}
	if ov.Source != "camera" || ov.ID != id || len(ov.Landmarks) != 136 || len(ov.Signals) != 7 || ov.Width != 400 {
		t.Errorf("overlay = %+v", ov)
	}
	rr := httptest.NewRecorder()
	app.FrameHandler{Camera: cams}.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, ov.FrameURL, nil))
	if rr.Code != http.StatusOK || rr.Header().Get("Content-Type") != "image/jpeg" || rr.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("%s: HTTP %d %v", ov.FrameURL, rr.Code, rr.Header())
	}
	// The loopback driver is named in the device panel.
	found := false
	for _, e := range rec.recorded() {
		if st, ok := e.payload.(app.LiveState); ok && st.ID == id {
			for _, d := range st.Devices {
				found = found || strings.Contains(d.Reason, "v4l2loopback")
			}
		}
	}
	if !found {
		t.Error("no live state named the v4l2loopback driver")
	}

	// A challenge counts down and comes to a result; the man at the
	// webcam does not pass a hand in front of his face, so it does not
	// pass, and says why.
	ch, err := challenges.Start(id, "hand")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := challenges.Start(id, "turn"); err == nil {
		t.Error("a second challenge on the same session: no error")
	}
	var last app.ChallengeUpdate
	running := 0
	deadline = time.Now().Add(time.Duration(ch.Seconds)*time.Second + 15*time.Second)
	for time.Now().Before(deadline) && last.State != "done" {
		running = 0
		for _, e := range rec.recorded() {
			if u, ok := e.payload.(app.ChallengeUpdate); ok && u.ID == ch.ID {
				last = u
				if u.State == "running" {
					running++
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if last.State != "done" || running < 10 || len(last.Reasons) == 0 {
		t.Fatalf("challenge: %d running updates, last %+v", running, last)
	}
	if last.Passed {
		t.Errorf("the hand challenge passed with no hand: %+v", last)
	}
	if err := cams.Stop(id); err != nil {
		t.Fatal(err)
	}
	if err := cams.Stop(id); err == nil {
		t.Error("stopping twice: no error")
	}
}
