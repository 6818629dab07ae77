package app_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/app/webbridge"
	"github.com/unmaskhq/unmask/ingest/camera"
	"github.com/unmaskhq/unmask/models"
	"github.com/unmaskhq/unmask/testdata/clips"

	"net/http/httptest"
)

// bridgeRuntime is the app's Runtime when the UI runs in a browser
// through webbridge: events go to the page; the dialogs answer a path
// set by the test, as a user picking it would.
type bridgeRuntime struct {
	b    *webbridge.Bridge
	pick string
}

func (r bridgeRuntime) Emit(event string, payload any)            { r.b.Emit(event, payload) }
func (r bridgeRuntime) OpenFile(string, []string) (string, error) { return r.pick, nil }
func (r bridgeRuntime) OpenDirectory(string) (string, error)      { return r.pick, nil }

// TestUIEndToEnd drives the real frontend (frontend/dist, built by `make
// frontend`) in headless Chromium against the real services: open a real
// recording, watch the analysis finish, see the overlay and the plots
// drawn, play and seek, export the three reports; start a camera, see the
// live overlay, run a challenge to its result and mark a moment.
func TestUIEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("drives the UI over real clips")
	}
	dist := filepath.Join("..", "frontend", "dist")
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("the built frontend is missing (%v): run `make frontend` first", err)
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if chromium, err = exec.LookPath("chromium-browser"); err != nil {
			t.Fatal("chromium is not installed: run build/setup.sh")
		}
	}
	db, dir := openDB(t)
	settings := app.NewSettingsService(db, dir)
	sessions := app.NewSessionService(db, settings, nil)
	engine := app.NewEngineLoader(models.Default(), "hog")
	defer engine.Close()
	review := app.NewReviewService(app.ReviewConfig{Analyzer: analyzerBin(t), DB: db, CasesDir: settings.CasesDir})
	cam12 := clips.Path(t, clips.Cap12)
	cams := app.NewCameraService(app.CameraConfig{Engine: engine.Load,
		List: func() ([]camera.Camera, error) {
			return []camera.Camera{{Device: "/dev/video0", Name: "Integrated Camera", Driver: "uvcvideo", Capture: true}}, nil
		},
		Open: func(string) (*gocv.VideoCapture, error) { return gocv.OpenVideoCapture(cam12) },
		DB:   db, Folder: settings.CameraDir})
	live := app.NewLiveService(app.LiveConfig{Engine: engine.Load, Settings: settings, DB: db, Port: freePort(t), Cameras: cams})
	challenges := app.NewChallengeService(live, cams)
	status := app.NewStatusService(models.Default())
	bound := []any{status, settings, sessions, review, live, cams, challenges}
	bridge, err := webbridge.New(webbridge.Config{Assets: os.DirFS(dist), Bind: bound,
		Extra: app.FrameHandler{Review: review, Live: live, Camera: cams}})
	if err != nil {
		t.Fatal(err)
	}
	life := app.NewLifecycle([]app.Service{status, settings, sessions, review, live, cams, challenges},
		app.WithRuntime(func(context.Context) app.Runtime { return bridgeRuntime{b: bridge} }))
	life.Startup(t.Context())
	srv := httptest.NewServer(bridge.Handler())
	defer func() {
		bridge.Close()
		srv.Close()
		life.Shutdown(context.Background())
	}()

	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	b, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string) string {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	poll := func(what, js string, limit time.Duration) {
		t.Helper()
		if _, err := chromedp.Run(b, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(limit))); err != nil {
			t.Fatalf("%s: not within %v (%v)", what, limit, err)
		}
	}
	// shot saves the page for the user guide when UNMASK_SCREENSHOTS names
	// a folder (docs/img is made this way).
	shot := func(name string) {
		t.Helper()
		dir := os.Getenv("UNMASK_SCREENSHOTS")
		if dir == "" {
			return
		}
		eval("scroll to the top", `window.scrollTo(0, 0); ""`)
		time.Sleep(100 * time.Millisecond)
		png, err := chromedp.Run(b, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// inked counts the pixels a canvas has drawn.
	inked := func(id string) string {
		return `(() => { const c = document.getElementById("` + id + `"); if (!c || !c.width) return 0;
		  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0;
		  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`
	}

	// Open a recording by path, as a reviewer pasting it.
	run("start screen", chromedp.Navigate(srv.URL+"/#/start"), chromedp.WaitVisible(chromedp.ID("open-path")))
	poll("the model status", `document.body.textContent.includes("models ready")`, 20*time.Second)
	clip := clips.Path(t, clips.Cap13)
	run("open a recording", chromedp.SendKeys(chromedp.ID("open-path"), clip), chromedp.Click(chromedp.ID("open-path-go")))
	poll("the review screen", `document.body.dataset.screen === "review"`, 20*time.Second)
	poll("the analysis to finish", `document.getElementById("review-progress")?.dataset.finished === "true"`, 3*time.Minute)
	if e := eval("progress error", `document.getElementById("review-progress").dataset.error || ""`); e != "" {
		t.Fatalf("analysis error shown: %s", e)
	}
	poll("the first frame with its overlay", inked("overlay-canvas")+` > 500 && document.querySelector("#review-player img")?.naturalWidth === 400`, 20*time.Second)
	poll("the timeline plot", inked("timeline-plot")+` > 2000`, 10*time.Second)
	if n := eval("signal bars", `String(document.querySelectorAll("#signal-bars [data-signal]").length)`); n != "7" {
		t.Errorf("%s signal bars, want 7", n)
	}
	if lvl := eval("risk gauge", `document.getElementById("risk-gauge").dataset.level || ""`); lvl == "" {
		t.Error("the risk gauge shows no level")
	}
	// Play, then seek by clicking the middle of the timeline.
	run("play", chromedp.Click(chromedp.ID("play-pause")))
	poll("playback to advance", `Number(document.getElementById("review-time").dataset.frame) > 20`, 15*time.Second)
	run("pause", chromedp.Click(chromedp.ID("play-pause")))
	run("landmarks", chromedp.Click(chromedp.ID("toggle-landmarks")))
	eval("seek on the timeline", `(() => { const c = document.getElementById("timeline-plot"); const r = c.getBoundingClientRect();
		c.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: r.left + r.width * 0.75, clientY: r.top + r.height / 2 })); return ""; })()`)
	poll("the seek", `Number(document.getElementById("review-time").dataset.frame) > 450`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // the seeked frame's picture
	shot("review")
	for _, kind := range []string{"html", "pdf", "zip"} {
		before := eval("export result", `document.getElementById("export-result").dataset.path || ""`)
		run("export "+kind, chromedp.Click(chromedp.ID("export-"+kind)))
		poll("the "+kind+" export", `(document.getElementById("export-result").dataset.path || "") !== `+jsString(before)+
			` && (document.getElementById("export-result").dataset.path || "").endsWith(".`+kind+`")`, 60*time.Second)
		path := eval("export path", `document.getElementById("export-result").dataset.path`)
		if st, err := os.Stat(path); err != nil || st.Size() < 1000 {
			t.Errorf("export %s: %s: %v", kind, path, err)
		}
	}

	// A camera: the live overlay, a challenge to its result, a mark.
	run("cameras", chromedp.Click(chromedp.ID("nav-cameras")), chromedp.WaitVisible(chromedp.CSS("#camera-list [data-device]")))
	run("start the camera", chromedp.Click(chromedp.CSS(`#camera-list button[data-device="/dev/video0"]`)))
	poll("the live screen", `document.body.dataset.screen === "live"`, 20*time.Second)
	poll("the live overlay", inked("overlay-canvas")+` > 500 && (window.__unmaskDisplayLatency || []).length > 5`, 60*time.Second)
	// The 60 s plot scrolls: its lines grow as windows arrive.
	before := eval("live plot", `String(`+inked("live-plot")+`)`)
	poll("the live plot to grow", inked("live-plot")+` > `+before, 10*time.Second)
	run("hand challenge", chromedp.Click(chromedp.ID("challenge-hand")))
	poll("the countdown", `document.getElementById("challenge-status").dataset.state === "running"`, 10*time.Second)
	poll("the challenge result", `["passed","failed"].includes(document.getElementById("challenge-status").dataset.state)`, 40*time.Second)
	shot("live")
	if txt := eval("challenge text", `document.getElementById("challenge-status").textContent`); !strings.Contains(txt, "hand") {
		t.Errorf("the challenge result does not say what happened: %q", txt)
	}
	run("mark", chromedp.SendKeys(chromedp.ID("mark-note"), "glasses frame flickered"), chromedp.Click(chromedp.ID("mark-save")))
	banner := `(document.getElementById("error-banner")?.hidden === false ? document.getElementById("error-banner").textContent : "")`
	poll("the saved mark", `document.querySelectorAll("#mark-list [data-mark-id]").length === 1 || `+banner+` !== ""`, 20*time.Second)
	if e := eval("error banner", banner); strings.TrimSpace(e) != "" {
		t.Errorf("error shown: %s", e)
	}
	// The display latency: from an overlay event's arrival to its frame
	// painted (the frontend keeps the last 100).
	lat, err := chromedp.Run(b, chromedp.Evaluate[[]float64](`window.__unmaskDisplayLatency`))
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) < 20 {
		t.Fatalf("%d display latency samples", len(lat))
	}
	slices.Sort(lat)
	med, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
	t.Logf("display latency over %d overlays: median %.1f ms, p95 %.1f ms", len(lat), med, p95)
	if med > 150 {
		t.Errorf("display latency median %.0f ms, want well under the 83 ms between overlays", med)
	}
	run("cameras", chromedp.Click(chromedp.ID("nav-cameras")), chromedp.WaitVisible(chromedp.CSS("#camera-list [data-device]")))
	shot("cameras")
	run("settings", chromedp.Click(chromedp.ID("nav-settings")), chromedp.WaitVisible(chromedp.ID("settings-form")))
	shot("settings")
	// The start screen lists the recording and the camera session.
	run("start", chromedp.Click(chromedp.ID("nav-start")))
	poll("the past sessions", `document.querySelectorAll("#session-list tr[data-session-id]").length >= 2`, 10*time.Second)
	shot("start")
}

func jsString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
