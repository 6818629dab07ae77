package record_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/record"
)

// TestCreateRefusesExisting checks that a session is never overwritten.
func TestCreateRefusesExisting(t *testing.T) {
	checkRoutines(t)
	dir := t.TempDir()
	r, err := record.Create(dir, record.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := record.Create(dir, record.Config{}); !errors.Is(err, record.ErrExists) {
		t.Errorf("Create over a live session: %v, want ErrExists", err)
	}
	m, err := r.Close("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := record.Create(dir, record.Config{}); !errors.Is(err, record.ErrExists) {
		t.Errorf("Create over a finished session: %v, want ErrExists", err)
	}
	if got, _ := record.ReadManifest(dir); got.SessionID != m.SessionID || !got.Finalised() {
		t.Errorf("the finished session was changed: %+v", got)
	}
	// Any one of the three files is enough, and it is left alone.
	for _, name := range []string{"session.json", "video.ivf", "audio.wav"} {
		d := t.TempDir()
		p := filepath.Join(d, name)
		os.WriteFile(p, []byte("keep me"), 0o600)
		if _, err := record.Create(d, record.Config{}); !errors.Is(err, record.ErrExists) {
			t.Errorf("Create with a stray %s: %v, want ErrExists", name, err)
		}
		if b, _ := os.ReadFile(p); string(b) != "keep me" {
			t.Errorf("%s was overwritten", name)
		}
		if entries, _ := os.ReadDir(d); len(entries) != 1 {
			t.Errorf("Create left files behind in %s: %v", name, entries)
		}
	}
}

// TestCreateUnwritable checks Create's error where nothing can be written.
func TestCreateUnwritable(t *testing.T) {
	checkRoutines(t)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	dirs := map[string]string{"below a regular file": filepath.Join(file, "session")}
	if os.Geteuid() != 0 { // root ignores permission bits
		ro := t.TempDir()
		os.Chmod(ro, 0o500)
		t.Cleanup(func() { os.Chmod(ro, 0o700) })
		dirs["read-only directory"] = ro
		dirs["below a read-only directory"] = filepath.Join(ro, "session")
	} else {
		// Root ignores permission bits: try as nobody in a child.
		ro, err := os.MkdirTemp("", "record-ro-*")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(ro) })
		os.Chmod(ro, 0o555)
		out, err := startChild(t, "unwritable", ro).CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		t.Logf("as nobody:\n%s", out)
		if n := strings.Count(string(out), "refused: "); n != 2 {
			t.Errorf("want 2 refusals, child said:\n%s", out)
		}
		if entries, _ := os.ReadDir(ro); len(entries) != 0 {
			t.Errorf("files appeared in the read-only directory: %v", entries)
		}
	}
	for name, dir := range dirs {
		r, err := record.Create(dir, record.Config{})
		if err == nil {
			r.Close("")
			t.Errorf("%s: Create succeeded", name)
			continue
		}
		if errors.Is(err, record.ErrExists) {
			t.Errorf("%s: %v, should not be ErrExists", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	if _, err := record.Create(t.TempDir(), record.Config{FlushInterval: time.Millisecond}); err == nil {
		t.Error("Create accepted a 1 ms flush interval")
	}
	if _, err := record.Create(t.TempDir(), record.Config{DeviceFacts: []byte("{")}); !errors.Is(err, record.ErrInvalidFacts) {
		t.Errorf("Create with bad facts: %v", err)
	}
}

// TestSizeCap fills a small cap: recording stops with ErrSizeCap, the
// manifest says so at once, and Close leaves valid files within the cap.
func TestSizeCap(t *testing.T) {
	checkRoutines(t)
	frames := sourceFrames(t)
	pcm := toFloat(speech(t))
	dir := t.TempDir()
	const limit = 60000
	r, err := record.Create(dir, record.Config{MaxBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	var stop error
	i := 0
	for ; stop == nil && i < 1000; i++ {
		f := frames[i%len(frames)]
		if stop = r.WriteVideo(f.data, uint32(i*3600), f.key); stop == nil {
			stop = r.WriteAudio(pcm[(i%50)*960:(i%50+1)*960], uint32(i*960))
		}
	}
	if !errors.Is(stop, record.ErrStopped) || !errors.Is(stop, record.ErrSizeCap) {
		t.Fatalf("after %d frames: %v, want ErrStopped and ErrSizeCap", i, stop)
	}
	if err := r.WriteVideo(frames[0].data, 0, true); !errors.Is(err, record.ErrSizeCap) {
		t.Errorf("write after stop: %v", err)
	}
	if err := r.WriteAudio(pcm[:960], 0); !errors.Is(err, record.ErrSizeCap) {
		t.Errorf("audio after stop: %v", err)
	}
	// The stop reaches the manifest on disk without waiting for Close.
	deadline := time.Now().Add(5 * time.Second)
	for {
		m, err := record.ReadManifest(dir)
		if err == nil && m.Stopped != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("manifest on disk has no stop: %+v %v", m, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	m, err := r.Close(record.EndNormal)
	if err != nil {
		t.Fatal(err)
	}
	if m.Stopped == nil || m.Stopped.Reason != record.StopSizeCap || m.Video.Size+m.Audio.Size > limit {
		t.Errorf("stopped %+v, sizes %d + %d (cap %d)", m.Stopped, m.Video.Size, m.Audio.Size, limit)
	}
	vpath := filepath.Join(dir, record.VideoName)
	if n := probeFrames(t, vpath); int64(n) != m.Video.Frames {
		t.Errorf("ffprobe decoded %d frames, manifest %d", n, m.Video.Frames)
	}
	if got, _ := readWAV(t, filepath.Join(dir, record.AudioName)); int64(len(got)) != m.Audio.Samples {
		t.Errorf("WAV %d samples, manifest %d", len(got), m.Audio.Samples)
	}
}

// TestDeviceFactsAndClose covers SetDeviceFacts, the end reasons and
// Close's idempotence.
func TestDeviceFactsAndClose(t *testing.T) {
	checkRoutines(t)
	dir := t.TempDir()
	r, err := record.Create(dir, record.Config{SessionID: "s-42", DeviceFacts: []byte(`{"v":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := record.ReadManifest(dir)
	if err != nil || string(m.Device) != `{"v":1}` || m.SessionID != "s-42" || m.Start.IsZero() || m.Finalised() {
		t.Fatalf("first manifest %+v %v", m, err)
	}
	for _, bad := range []string{"", "{", `{"a":1} {"b":2}`, "nul"} {
		if err := r.SetDeviceFacts(json.RawMessage(bad)); !errors.Is(err, record.ErrInvalidFacts) {
			t.Errorf("SetDeviceFacts(%q): %v", bad, err)
		}
	}
	if err := r.SetDeviceFacts(json.RawMessage(`{"camera": "FaceTime HD", "virtual": false}`)); err != nil {
		t.Fatal(err)
	}
	if m, _ := record.ReadManifest(dir); string(m.Device) != `{"camera":"FaceTime HD","virtual":false}` {
		t.Errorf("device on disk %s", m.Device)
	}
	if err := r.SetDeviceFacts(json.RawMessage(`{"camera":"OBS Virtual Camera","virtual":true}`)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"recovered", "Normal", "peer lost", "x-y", "a_very_long_reason_of_more_than_32_chars"} {
		if _, err := r.Close(bad); !errors.Is(err, record.ErrInvalidReason) {
			t.Errorf("Close(%q): %v, want ErrInvalidReason", bad, err)
		}
	}
	if err := r.WriteAudio(make([]float32, 960), 7); err != nil {
		t.Errorf("recorder unusable after a refused Close: %v", err)
	}
	m1, err := r.Close(record.EndServerClosed)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := r.Close(record.EndNormal)
	if err != nil || m2.EndReason != "server_closed" || m2.End != m1.End || m2.Audio.SHA256 != m1.Audio.SHA256 {
		t.Errorf("second Close: %+v %v", m2, err)
	}
	if string(m1.Device) != `{"camera":"OBS Virtual Camera","virtual":true}` {
		t.Errorf("final device %s", m1.Device)
	}
	if err := r.SetDeviceFacts(json.RawMessage(`{}`)); !errors.Is(err, record.ErrClosed) {
		t.Errorf("SetDeviceFacts after Close: %v", err)
	}
	if err := r.WriteVideo([]byte{0}, 0, true); !errors.Is(err, record.ErrClosed) {
		t.Errorf("WriteVideo after Close: %v", err)
	}
	disk, err := record.ReadManifest(dir)
	if err != nil || disk.End.IsZero() || disk.End.Before(disk.Start.Time) {
		t.Errorf("final manifest %+v %v", disk, err)
	}
	// Times are UTC with milliseconds on disk.
	var raw map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, record.ManifestName))
	json.Unmarshal(b, &raw)
	for _, k := range []string{"start", "end", "device_updated"} {
		s, _ := raw[k].(string)
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", s); err != nil {
			t.Errorf("%s = %q, want UTC RFC 3339 with ms", k, s)
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*")); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// TestConcurrentWriters runs a video goroutine, an audio goroutine and a
// device-facts goroutine at once (run with -race), with a timeout.
func TestConcurrentWriters(t *testing.T) {
	checkRoutines(t)
	frames := sourceFrames(t)
	pcm := toFloat(speech(t))
	dir := t.TempDir()
	r, err := record.Create(dir, record.Config{FlushInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	var wg sync.WaitGroup
	errc := make(chan error, 3)
	wg.Go(func() {
		for i := range n {
			f := frames[i%len(frames)]
			if err := r.WriteVideo(f.data, uint32(i*3600), f.key); err != nil {
				errc <- err
				return
			}
		}
	})
	wg.Go(func() {
		for i := range 2 * n {
			k := i % 50
			if err := r.WriteAudio(pcm[k*960:(k+1)*960], uint32(i*960)); err != nil {
				errc <- err
				return
			}
		}
	})
	wg.Go(func() {
		for i := range 20 {
			if err := r.SetDeviceFacts(json.RawMessage(`{"i":` + string(rune('0'+i%10)) + `}`)); err != nil {
				errc <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("writers did not finish in 60 s")
	}
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	m, err := r.Close("")
	if err != nil {
		t.Fatal(err)
	}
	if m.Video.Frames != n || m.Audio.Packets != 2*n || m.Audio.Samples != 2*n*960 || m.Audio.Gaps != 0 {
		t.Errorf("stats: %d frames, %d packets, %d samples, %d gaps", m.Video.Frames, m.Audio.Packets, m.Audio.Samples, m.Audio.Gaps)
	}
	if _, err := record.Verify(dir); err != nil {
		t.Error(err)
	}
}
