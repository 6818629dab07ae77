package app_test

import (
	"archive/zip"
	"bytes"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/app"
	"github.com/unmaskhq/unmask/store"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// reviewRig is a started ReviewService over a fresh database.
type reviewRig struct {
	svc  *app.ReviewService
	db   *store.DB
	rec  *recorder
	life *app.Lifecycle
	dir  string
}

func newReviewRig(t *testing.T) *reviewRig {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	rig := &reviewRig{db: db, rec: &recorder{}, dir: dir}
	rig.svc = app.NewReviewService(app.ReviewConfig{Analyzer: analyzerBin(t), DB: db,
		CasesDir: func() string { return filepath.Join(dir, "cases") }})
	rig.life = app.NewLifecycle([]app.Service{rig.svc}, app.WithRuntime(rig.rec.runtime))
	rig.life.Startup(t.Context())
	t.Cleanup(func() {
		rig.life.Shutdown(t.Context())
		db.Close()
	})
	return rig
}

// wait returns the final progress of review id.
func (r *reviewRig) wait(t *testing.T, id string, limit time.Duration) app.ReviewProgress {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		p, err := r.svc.Progress(id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Finished {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("review %s did not finish in %v", id, limit)
	return app.ReviewProgress{}
}

func TestReviewAnalysesARecording(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses a real clip")
	}
	rig := newReviewRig(t)
	clip := clips.Path(t, "cap13_edit2.mp4")
	info, err := rig.svc.Open(clip)
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 400 || info.Height != 300 || info.FPS < 24 || info.FPS > 26 || info.Frames < 700 {
		t.Errorf("info = %+v, want 400x300 at 25 fps, about 770 frames", info)
	}
	p := rig.wait(t, info.ID, 4*time.Minute)
	if p.Error != "" {
		t.Fatalf("analysis failed: %s", p.Error)
	}
	if p.Done < 700 {
		t.Errorf("done = %d frames, want the whole clip", p.Done)
	}

	// Progress arrived as events, in order, at most about 10 a second.
	var progress []app.ReviewProgress
	windows := 0
	for _, e := range rig.rec.recorded() {
		switch e.name {
		case app.EventReviewProgress:
			progress = append(progress, e.payload.(app.ReviewProgress))
		case app.EventReviewWindow:
			windows++
		}
	}
	if len(progress) < 3 {
		t.Errorf("%d progress events, want several during a 31 s clip", len(progress))
	}
	for i := 1; i < len(progress); i++ {
		if progress[i].Done < progress[i-1].Done {
			t.Errorf("progress went back: %d after %d", progress[i].Done, progress[i-1].Done)
		}
	}
	if last := progress[len(progress)-1]; !last.Finished {
		t.Errorf("last progress event not finished: %+v", last)
	}
	ws, err := rig.svc.Windows(info.ID)
	if err != nil || len(ws) < 10 || windows != len(ws) {
		t.Fatalf("windows: %d (%v), %d window events", len(ws), err, windows)
	}

	// The overlay of the first 100 frames: a face box on most of them,
	// 68 landmarks with it, every signal named.
	ov, err := rig.svc.Overlays(info.ID, 0, 100)
	if err != nil || len(ov) != 100 {
		t.Fatalf("overlays: %d, %v", len(ov), err)
	}
	faces := 0
	for _, o := range ov {
		if o.Box != nil {
			faces++
			if len(o.Landmarks) != 136 {
				t.Fatalf("frame %d: %d landmark values, want 136", o.Frame, len(o.Landmarks))
			}
		}
		if len(o.Signals) != 7 {
			t.Fatalf("frame %d: %d signals", o.Frame, len(o.Signals))
		}
	}
	if faces < 80 {
		t.Errorf("face box on %d of 100 frames of a man at a webcam", faces)
	}
	if late, _ := rig.svc.Overlays(info.ID, 10_000_000, 10); len(late) != 0 {
		t.Errorf("overlays past the end: %d", len(late))
	}

	// Every frame's picture is served as a JPEG of the input's size.
	h := app.FrameHandler{Review: rig.svc}
	for _, i := range []int{0, 400, p.Done - 1} {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, ov[0].FrameURL[:strings.LastIndex(ov[0].FrameURL, "/")+1]+itoa(i)+".jpg", nil))
		if rr.Code != http.StatusOK {
			t.Fatalf("frame %d: HTTP %d", i, rr.Code)
		}
		img, err := jpeg.Decode(bytes.NewReader(rr.Body.Bytes()))
		if err != nil || img.Bounds().Dx() != 400 || img.Bounds().Dy() != 300 {
			t.Fatalf("frame %d: %v %v", i, err, img)
		}
	}

	// The finished review is in the list of past sessions.
	sess, err := rig.db.Session(t.Context(), info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Kind != "file" || sess.Source != clip || sess.Level == "" || len(sess.InputSHA256) != 64 || sess.Frames != p.Done {
		t.Errorf("stored session = %+v", sess)
	}

	// Exports: HTML, PDF, and a bundle whose files match the manifest; a
	// second export never replaces the first.
	for kind, magic := range map[string]string{"html": "<!DOCTYPE html", "pdf": "%PDF-", "zip": "PK\x03\x04"} {
		path, err := rig.svc.Export(info.ID, kind)
		if err != nil {
			t.Fatalf("export %s: %v", kind, err)
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(bytes.TrimSpace(b), []byte(magic)) {
			t.Fatalf("export %s: %s starts %q, %v", kind, path, b[:min(len(b), 16)], err)
		}
		again, err := rig.svc.Export(info.ID, kind)
		if err != nil || again == path {
			t.Fatalf("second export %s: %q, %v (first %q)", kind, again, err, path)
		}
		if kind == "zip" {
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, f := range zr.File {
				names[f.Name] = true
			}
			for _, want := range []string{"manifest.json", "report.html", "report.json", "track.jsonl"} {
				if !names[want] {
					t.Errorf("bundle lacks %s: %v", want, names)
				}
			}
		}
	}
	if _, err := rig.svc.Export(info.ID, "docx"); err == nil {
		t.Error("export docx: no error")
	}
	if err := rig.svc.Close(info.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := rig.svc.Overlays(info.ID, 0, 1); err == nil {
		t.Error("overlays of a closed review: no error")
	}
}

func TestReviewRefusesBadInput(t *testing.T) {
	rig := newReviewRig(t)
	notSession := t.TempDir()
	garbage := filepath.Join(t.TempDir(), "interview.mp4")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a video "), 4096), 0o600)
	for _, tc := range []struct{ name, path, want string }{
		{"empty", "  ", "no file chosen"},
		{"missing", filepath.Join(rig.dir, "nope.mp4"), "cannot be opened"},
		{"plain folder", notSession, "not a recorded call"},
		{"not a video", garbage, "cannot be played"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rig.svc.Open(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open(%q) = %v, want an error saying %q", tc.path, err, tc.want)
			}
		})
	}
	if _, err := rig.svc.Overlays("nope", 0, 1); err == nil {
		t.Error("overlays of an unknown review: no error")
	}
	if err := rig.svc.Close("nope"); err == nil {
		t.Error("close of an unknown review: no error")
	}
	// A failed open leaves no case folder behind.
	if ents, _ := os.ReadDir(filepath.Join(rig.dir, "cases")); len(ents) != 0 {
		t.Errorf("case folders left: %d", len(ents))
	}
}

func TestReviewCloseStopsTheAnalysis(t *testing.T) {
	defer checkGoroutines(t)()
	rig := newReviewRig(t)
	info, err := rig.svc.Open(clips.Path(t, "franck.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rig.svc.Overlays(info.ID, 0, 501); err == nil {
		t.Error("a batch of 501 overlays: no error")
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := rig.svc.Close(info.ID); err != nil {
		t.Fatal(err)
	}
	rig.life.Shutdown(t.Context())
	if _, err := rig.db.Session(t.Context(), info.ID); err == nil {
		t.Error("a cancelled review was stored as a past session")
	}
	rig.db.Close() // its connection pools are goroutines too
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("closing took %v", d)
	}
}

func TestFrameHandlerRefusesOtherRequests(t *testing.T) {
	rig := newReviewRig(t)
	h := app.FrameHandler{Review: rig.svc}
	for _, tc := range []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/frames/review/nope/0.jpg", http.StatusNotFound},
		{http.MethodGet, "/frames/review/nope/-1.jpg", http.StatusNotFound},
		{http.MethodGet, "/frames/review/nope/x.jpg", http.StatusNotFound},
		{http.MethodGet, "/frames/other/nope/0.jpg", http.StatusNotFound},
		{http.MethodGet, "/frames/review/a/b/0.jpg", http.StatusNotFound},
		{http.MethodGet, "/etc/passwd", http.StatusNotFound},
		{http.MethodPost, "/frames/review/nope/0.jpg", http.StatusMethodNotAllowed},
	} {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(tc.method, tc.path, nil))
		if rr.Code != tc.code {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, rr.Code, tc.code)
		}
	}
}
