package record_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/ingest/record"
)

// liveSession records n frames and n 20 ms audio chunks without closing.
func liveSession(t *testing.T, n int) (*record.Recorder, []frame, []int16) {
	t.Helper()
	frames := sourceFrames(t)
	pcm := speech(t)
	r, err := record.Create(filepath.Join(t.TempDir(), "live"), record.Config{SessionID: "live"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(record.EndNormal) })
	for i := range n {
		f := frames[i%len(frames)]
		if err := r.WriteVideo(f.data, uint32(i*3600), f.key); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteAudio(toFloat(pcm[i*960:(i+1)*960]), uint32(i*960)); err != nil {
			t.Fatal(err)
		}
	}
	return r, frames, pcm
}

// TestRecoverDamage recovers copies of an unclosed session damaged the
// ways a crash damages them, and refuses what it must not touch.
func TestRecoverDamage(t *testing.T) {
	checkRoutines(t)
	const n = 40
	r, frames, pcm := liveSession(t, n)
	appendTo := func(name string, b []byte) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(b)
			f.Close()
		}
	}
	partialFrame := make([]byte, 12+100)
	binary.LittleEndian.PutUint32(partialFrame, 5000) // says 5000 bytes, has 100
	copy(partialFrame[12:], frames[1].data)
	cases := []struct {
		name       string
		damage     func(t *testing.T, dir string)
		wantErr    error
		videoCut   int64
		audioCut   int64
		rebuilt    bool
		untouched  bool // files must be left as they were
		wantFrames int64
	}{
		{name: "clean crash", damage: func(*testing.T, string) {}, wantFrames: n},
		{name: "half-written final frame", damage: appendTo("video.ivf", partialFrame), videoCut: 112, wantFrames: n},
		{name: "frame header cut short", damage: appendTo("video.ivf", partialFrame[:7]), videoCut: 7, wantFrames: n},
		{name: "zeros after the last frame (power loss)", damage: appendTo("video.ivf", make([]byte, 4096)), videoCut: 4096, wantFrames: n},
		{name: "WAV cut mid-sample", damage: appendTo("audio.wav", []byte{0x42}), audioCut: 1, wantFrames: n},
		{name: "both", damage: func(t *testing.T, dir string) {
			appendTo("video.ivf", partialFrame[:50])(t, dir)
			appendTo("audio.wav", []byte{1})(t, dir)
		}, videoCut: 50, audioCut: 1, wantFrames: n},
		{name: "missing manifest", damage: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "session.json"))
		}, rebuilt: true, wantFrames: n},
		{name: "corrupt manifest", damage: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "session.json"), []byte(`{"schema":"unmask.record.session","schema_version":1,"vid`), 0o600)
		}, wantErr: record.ErrCorrupt, untouched: true},
		{name: "manifest of another schema", damage: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "session.json"), []byte(`{"schema":"something.else"}`), 0o600)
		}, wantErr: record.ErrCorrupt, untouched: true},
		{name: "bad IVF signature", damage: func(t *testing.T, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, "video.ivf"), os.O_WRONLY, 0)
			f.WriteAt([]byte("XKIF"), 0)
			f.Close()
		}, wantErr: record.ErrCorrupt, untouched: true},
		{name: "bad WAV format", damage: func(t *testing.T, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, "audio.wav"), os.O_WRONLY, 0)
			f.WriteAt([]byte{2}, 22) // two channels
			f.Close()
		}, wantErr: record.ErrCorrupt, untouched: true},
		{name: "missing audio", damage: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "audio.wav"))
		}, wantErr: record.ErrCorrupt, untouched: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copySession(t, r.Dir())
			c.damage(t, dir)
			before := snapshot(t, dir)
			m, err := record.Recover(dir)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("Recover: %v, want %v", err, c.wantErr)
			}
			if c.untouched {
				if after := snapshot(t, dir); !equalSnap(before, after) {
					t.Error("Recover changed a directory it refused")
				}
				return
			}
			if m.EndReason != record.EndRecovered || !m.Finalised() || m.Recovery == nil {
				t.Fatalf("manifest %+v", m)
			}
			if m.Recovery.VideoBytesDropped != c.videoCut || m.Recovery.AudioBytesDropped != c.audioCut || m.Recovery.ManifestRebuilt != c.rebuilt {
				t.Errorf("recovery %+v, want video cut %d audio cut %d rebuilt %v", *m.Recovery, c.videoCut, c.audioCut, c.rebuilt)
			}
			if c.rebuilt != (m.SessionID == "") {
				t.Errorf("session id %q (rebuilt %v)", m.SessionID, c.rebuilt)
			}
			vpath, apath := filepath.Join(dir, "video.ivf"), filepath.Join(dir, "audio.wav")
			h, got := readIVF(t, vpath)
			if int64(len(got)) != c.wantFrames || int64(h.NumFrames) != c.wantFrames || m.Video.Frames != c.wantFrames {
				t.Errorf("frames: file %d header %d manifest %d, want %d", len(got), h.NumFrames, m.Video.Frames, c.wantFrames)
			}
			for i, f := range got {
				if !bytes.Equal(f.data, frames[i].data) {
					t.Errorf("frame %d differs", i)
				}
			}
			if p := probeFrames(t, vpath); int64(p) != c.wantFrames {
				t.Errorf("ffprobe decoded %d frames", p)
			}
			samples, _ := readWAV(t, apath)
			if len(samples) != n*960 || !slicesEqual(samples, pcm[:n*960]) {
				t.Errorf("WAV has %d samples (want %d) or differs", len(samples), n*960)
			}
			if _, err := record.Verify(dir); err != nil {
				t.Error(err)
			}
			// Idempotent: a second Recover changes nothing.
			snap := snapshot(t, dir)
			again, err := record.Recover(dir)
			if err != nil || again.Video.SHA256 != m.Video.SHA256 || !equalSnap(snap, snapshot(t, dir)) {
				t.Errorf("second Recover: %v", err)
			}
		})
	}
}

// TestRecoverRefuses covers what is not a session and a live session.
func TestRecoverRefuses(t *testing.T) {
	checkRoutines(t)
	r, _, _ := liveSession(t, 5)
	if _, err := record.Recover(r.Dir()); !errors.Is(err, record.ErrBusy) {
		t.Errorf("Recover of a live session: %v, want ErrBusy", err)
	}
	if !record.IsSession(r.Dir()) {
		t.Error("IsSession(live session) = false")
	}
	junk := t.TempDir()
	os.WriteFile(filepath.Join(junk, "video.ivf"), []byte("not an ivf file at all, just some text.."), 0o600)
	os.WriteFile(filepath.Join(junk, "notes.txt"), []byte("hello"), 0o600)
	onlyVideo := copySession(t, r.Dir())
	os.Remove(filepath.Join(onlyVideo, "session.json"))
	os.Remove(filepath.Join(onlyVideo, "audio.wav"))
	for _, dir := range []string{t.TempDir(), filepath.Join(t.TempDir(), "does-not-exist"), junk, onlyVideo} {
		before := snapshot(t, dir)
		if _, err := record.Recover(dir); !errors.Is(err, record.ErrNotSession) {
			t.Errorf("Recover(%s): %v, want ErrNotSession", filepath.Base(dir), err)
		}
		if record.IsSession(dir) {
			t.Errorf("IsSession(%s) = true", dir)
		}
		if !equalSnap(before, snapshot(t, dir)) {
			t.Errorf("Recover changed %s", dir)
		}
	}
	// Once closed, Recover is a no-op that returns the final manifest.
	m, err := r.Close(record.EndNormal)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, r.Dir())
	got, err := record.Recover(r.Dir())
	if err != nil || got.EndReason != "normal" || got.Video.SHA256 != m.Video.SHA256 || got.Recovery != nil {
		t.Errorf("Recover of a finalised session: %+v %v", got, err)
	}
	if !equalSnap(before, snapshot(t, r.Dir())) {
		t.Error("Recover changed a finalised session")
	}
}

// snapshot returns every file of dir with its contents.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

func equalSnap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func slicesEqual(a, b []int16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
