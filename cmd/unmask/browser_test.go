package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// chromiumPath finds the browser build/setup.sh installs.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium: run `make setup` (build/setup.sh installs it)")
	return ""
}

// TestCandidatePageInChromium is the candidate's side for real: headless
// Chromium with a fake camera (a real clip) and microphone (real speech)
// opens the candidate link, agrees, publishes over WHIP and reports its
// devices; the server decodes, analyses and records, and the recording
// replays to the live verdict.
func TestCandidatePageInChromium(t *testing.T) {
	dir := t.TempDir()
	y4m := filepath.Join(dir, "camera.y4m")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "12", "-an", "-pix_fmt", "yuv420p", y4m)
	wav := filepath.Join(dir, "mic.wav")
	speech := filepath.Join(dir, "speech.wav")
	if out, err := exec.Command("espeak-ng", "-w", speech, "I have worked on distributed systems for six years and I enjoy it.").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v\n%s", err, out)
	}
	ffmpeg(t, "-i", speech, "-af", "apad=whole_dur=12", "-ar", "48000", "-ac", "1", wav)

	s := startServe(t, filepath.Join(dir, "data"))

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", "new"),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", y4m),
		chromedp.Flag("use-file-for-fake-audio-capture", wav),
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,WebRtcHideLocalIpsWithMdns"),
	)...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(s.candidate),
		chromedp.WaitVisible(chromedp.ID("agree")),
	); err != nil {
		t.Fatalf("open the candidate link: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("consent")))
	if err != nil || !strings.Contains(text, "recorded") {
		t.Fatalf("the page must say what is recorded before asking: %q (%v)", text, err)
	}
	if disabled, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('start').disabled`)); !disabled {
		t.Fatal("Start is enabled before the candidate agrees")
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("agree")),
		chromedp.Click(chromedp.ID("start")),
	); err != nil {
		t.Fatalf("agree and start: %v", err)
	}
	connected := time.Now()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('status').textContent.startsWith('Connected')`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("status")))
		t.Fatalf("the page never connected: %v; status %q\nserver:\n%s", err, status, s.stderr)
	}
	t.Logf("connected %v after Start", time.Since(connected).Round(time.Millisecond))
	time.Sleep(10 * time.Second)

	var st callStatus
	if code := s.api(t, http.MethodGet, "/api/sessions/"+sessionID(s.whip), &st); code != http.StatusOK || st.Status == nil {
		t.Fatalf("status: HTTP %d", code)
	}
	v := st.Status.Video
	t.Logf("from Chromium: %d frames decoded (%dx%d at %.1f fps), %d analysed, %d with a face, %d dropped; audio %d packets; arrival to analysed median %.1f ms, p95 %.1f ms",
		v.Frames, v.Width, v.Height, v.FPS, v.Analysed, v.WithFace, v.Dropped, st.Status.Audio.Packets, v.LatencyMed, v.LatencyP95)
	if v.Frames < 150 || v.Analysed < 100 || v.WithFace < 50 {
		t.Errorf("10 s from the browser: too little decoded, analysed or with a face")
	}
	if st.Status.Audio.Packets < 200 {
		t.Errorf("audio: %d packets in 10 s", st.Status.Audio.Packets)
	}
	// Chromium sends RTCP sender reports: the voice is placed by capture
	// time, a small move from where arrival put it.
	t.Logf("sender-report sync: %v, moved the voice %+d ms", st.Status.Audio.Synced, st.Status.Audio.SyncedMS)
	if !st.Status.Audio.Synced || st.Status.Audio.SyncedMS < -300 || st.Status.Audio.SyncedMS > 300 {
		t.Errorf("voice not aligned by sender reports (synced %v, %+d ms)", st.Status.Audio.Synced, st.Status.Audio.SyncedMS)
	}
	var facts struct {
		UserAgent   string `json:"userAgent"`
		VideoInputs []struct {
			Label string `json:"label"`
		} `json:"videoInputs"`
		AudioInputs []struct {
			Label string `json:"label"`
		} `json:"audioInputs"`
		VideoTrack struct {
			Label    string `json:"label"`
			Settings struct {
				Width, Height int
				FrameRate     float64 `json:"frameRate"`
			} `json:"settings"`
		} `json:"videoTrack"`
	}
	if err := json.Unmarshal(st.Status.Facts, &facts); err != nil {
		t.Fatalf("device facts did not arrive: %v (%s)", err, st.Status.Facts)
	}
	t.Logf("device facts: camera %q %dx%d@%.0f, %d cameras, %d microphones, %s", facts.VideoTrack.Label,
		facts.VideoTrack.Settings.Width, facts.VideoTrack.Settings.Height, facts.VideoTrack.Settings.FrameRate,
		len(facts.VideoInputs), len(facts.AudioInputs), facts.UserAgent)
	if len(facts.VideoInputs) == 0 || facts.VideoInputs[0].Label == "" || facts.VideoTrack.Label == "" || len(facts.AudioInputs) == 0 {
		t.Errorf("device labels missing: %s", st.Status.Facts)
	}
	if facts.VideoTrack.Settings.Width == 0 || !strings.Contains(facts.UserAgent, "Chrome") {
		t.Errorf("track settings or user agent missing: %s", st.Status.Facts)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("stop"))); err != nil {
		t.Fatal(err)
	}
	recs := recordings(t, s.data)
	if len(recs) != 1 {
		t.Fatalf("%d recordings, want 1", len(recs))
	}
	m := waitFinal(t, recs[0], true)
	if m.EndReason != record.EndNormal {
		t.Errorf("end reason %q, want normal (the page deletes its WHIP resource)", m.EndReason)
	}
	if len(m.Device) == 0 {
		t.Error("the recording's manifest lacks the device facts")
	}
	compareReplay(t, recs[0])
}
