package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/report"
	"github.com/unmaskhq/unmask/testdata/clips"
)

var bin string // the unmask binary under test, built once in TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "unmask-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "unmask")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build unmask:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func unmask(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run unmask: %v", err)
	}
	return result{code, out.String(), errb.String()}
}

// ffmpeg makes a fixture; tests need the real tool, as users do.
func ffmpeg(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("ffmpeg", append([]string{"-hide_banner", "-loglevel", "error", "-y"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}

// oneJSON decodes stdout and fails unless it is exactly one JSON object.
func oneJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, s)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON value")
	}
	if v["schema"] != float64(report.Schema) {
		t.Fatalf("schema = %v, want %d", v["schema"], report.Schema)
	}
	return v
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"analyze"},
		{"analyze", "a.mp4", "b.mp4"},
		{"analyze", "a.mp4", "--detector", "cnn"},
		{"analyze", "a.mp4", "--sensitivity", "paranoid"},
		{"analyze", "--no-such-flag", "a.mp4"},
	} {
		if r := unmask(t, nil, args...); r.code != exitUsage || r.stdout != "" {
			t.Errorf("unmask %q: exit %d stdout %q, want %d and nothing on stdout", args, r.code, r.stdout, exitUsage)
		}
	}
	r := unmask(t, nil, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Exit codes:") || !strings.Contains(r.stdout, "130") {
		t.Errorf("help: exit %d, missing the exit code table", r.code)
	}
}

func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.mp4", nil)
	text := write("notes.mp4", []byte("this is a text file, not a video\n"))
	tiny := filepath.Join(dir, "tiny.mkv") // ffmpeg's sources start at 2x2: scale down to 1x1
	ffmpeg(t, "-f", "lavfi", "-i", "color=c=gray:s=64x64:r=10:d=1", "-vf", "scale=1:1", "-c:v", "ffv1", tiny)
	cut := filepath.Join(dir, "moov-at-end.mp4")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "4", "-c", "copy", cut)
	b, _ := os.ReadFile(cut)
	write("moov-at-end.mp4", b[:len(b)/2])

	tests := []struct {
		name, input, want string
		code              int
	}{
		{"missing file", filepath.Join(dir, "nope.mp4"), "no such file", exitInput},
		{"empty file", empty, "empty", exitInput},
		{"text file named .mp4", text, "not a video", exitInput},
		{"1x1 video", tiny, "too small", exitInput},
		{"truncated mp4, index at the end", cut, "not a video", exitInput},
		{"directory", dir, "not a video", exitInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := unmask(t, nil, "analyze", tt.input, "--json")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty on error: %q", r.stdout)
			}
			if !strings.Contains(strings.ToLower(r.stderr), tt.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tt.want)
			}
		})
	}
}

func TestTruncatedWithIndexFirstIsAnalysedAndFlagged(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "faststart.mp4")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "6", "-c", "copy", "-movflags", "+faststart", full)
	b, _ := os.ReadFile(full)
	cut := filepath.Join(dir, "cut.mp4")
	os.WriteFile(cut, b[:len(b)/2], 0o644)
	r := unmask(t, nil, "analyze", cut, "--json")
	if r.code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	v := oneJSON(t, r.stdout)
	if v["truncated"] != true {
		t.Errorf("truncated = %v, want true", v["truncated"])
	}
	if n := v["frames_processed"].(float64); n < 20 || n > 140 {
		t.Errorf("frames_processed = %v, want about half of 150", n)
	}
}

func TestNoFace(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pattern.mkv")
	ffmpeg(t, "-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=2", "-c:v", "libvpx", "-b:v", "500k", p)
	r := unmask(t, nil, "analyze", p, "--json")
	if r.code != exitNoFace {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitNoFace, r.stderr)
	}
	v := oneJSON(t, r.stdout)
	if v["frames_with_face"] != 0.0 || v["frames_processed"] != 50.0 {
		t.Errorf("frames_with_face %v of %v, want 0 of 50", v["frames_with_face"], v["frames_processed"])
	}
	if !strings.Contains(r.stderr, "no face") {
		t.Errorf("stderr does not explain: %q", r.stderr)
	}
}

func TestUnreadableModel(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "shape_predictor_68_face_landmarks.dat"), []byte("garbage"), 0o644)
	r := unmask(t, []string{"UNMASK_MODELS=" + dir}, "analyze", clips.Path(t, clips.Cap13), "--json")
	if r.code != exitModels {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitModels, r.stderr)
	}
	if !strings.Contains(r.stderr, "libdlib-data") {
		t.Errorf("stderr does not name the package: %q", r.stderr)
	}
	m := unmask(t, []string{"UNMASK_MODELS=" + dir}, "models")
	if m.code != exitModels || !strings.Contains(m.stdout, "MISSING") {
		t.Errorf("models: exit %d stdout %q", m.code, m.stdout)
	}
}

// TestAnalyzeContainersAndOutput runs a real clip in three containers and
// checks the JSON contract and the evidence written with --out.
func TestAnalyzeContainersAndOutput(t *testing.T) {
	dir := t.TempDir()
	inputs := map[string][]string{
		// libvpx's realtime mode adapts to the time it gets, so under load
		// the same command gives another stream; "good" does not.
		"cap13.webm": {"-c:v", "libvpx", "-b:v", "1M", "-deadline", "good", "-cpu-used", "4"},
		"cap13.mkv":  {"-c:v", "copy"},
		"cap13.avi":  {"-c:v", "mjpeg", "-q:v", "3"},
	}
	for name, codec := range inputs {
		ffmpeg(t, append(append([]string{"-i", clips.Path(t, clips.Cap13), "-t", "4"}, codec...), filepath.Join(dir, name))...)
	}
	for name := range inputs {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+name)
			r := unmask(t, nil, "analyze", filepath.Join(dir, name), "--json", "--out", out)
			if r.code != exitOK {
				t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
			}
			v := oneJSON(t, r.stdout)
			if f := v["face_fraction"].(float64); f < 0.98 {
				t.Errorf("face_fraction %v", f)
			}
			in := v["input"].(map[string]any)
			if in["width"] != 400.0 || in["height"] != 300.0 || len(in["sha256"].(string)) != 64 {
				t.Errorf("input metadata %v", in)
			}
			if v["processing_fps"].(float64) <= 0 {
				t.Errorf("processing_fps %v", v["processing_fps"])
			}
			m, err := evidence.Verify(out)
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, f := range m.Files {
				names[f.Name] = true
			}
			if len(m.Files) != 4 || !names["track.jsonl"] || !names["summary.json"] || !names["report.json"] || !names["report.html"] || m.Meta["input_sha256"] != in["sha256"] {
				t.Errorf("manifest %+v", m)
			}
			track, _ := os.ReadFile(filepath.Join(out, "track.jsonl"))
			lines := strings.Split(strings.TrimSpace(string(track)), "\n")
			if float64(len(lines)) != v["frames_processed"].(float64) {
				t.Errorf("track has %d lines for %v frames", len(lines), v["frames_processed"])
			}
			var first trackLine
			if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || len(first.Landmarks) != 68 || first.Box == nil || first.Pose == nil {
				t.Errorf("first track line %q: %v", lines[0], err)
			}
			// A second run must not overwrite the evidence.
			again := unmask(t, nil, "analyze", filepath.Join(dir, name), "--json", "--out", out)
			if again.code != exitOutput {
				t.Errorf("second run into %s: exit %d, want %d", out, again.code, exitOutput)
			}
			if _, err := evidence.Verify(out); err != nil {
				t.Errorf("evidence changed by the second run: %v", err)
			}
		})
	}
}

func TestInterruptWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(bin, "analyze", clips.Path(t, clips.Franck), "--json", "--out", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupt {
		t.Fatalf("exit %v, want %d; stderr:\n%s", err, exitInterrupt, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout after interrupt: %q", stdout.String())
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		t.Errorf("left in --out after interrupt: %s", e.Name())
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 100)
	p.update(50)
	if !strings.Contains(b.String(), "50%") || !strings.Contains(b.String(), "50/100") {
		t.Errorf("progress line %q", b.String())
	}
	b.Reset()
	p.update(60) // within 100 ms of the last draw
	if b.Len() != 0 {
		t.Errorf("redrew within 100 ms: %q", b.String())
	}
	var nilBar *progress
	nilBar.update(1) // no terminal: a nil bar draws nothing and must not crash
}

// TestProgressForPrograms checks --progress: every stderr line is one
// JSON progress object (the desktop app reads them), frames never go
// back, and stdout still holds the one verdict.
func TestProgressForPrograms(t *testing.T) {
	clip := filepath.Join(t.TempDir(), "cap13-6s.mp4")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "6", "-c", "copy", clip)
	r := unmask(t, nil, "analyze", clip, "--json", "--progress", "--quiet")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	normal := oneJSON(t, r.stdout)
	// --sensitivity moves the thresholds the report states, not the risk.
	high := unmask(t, nil, "analyze", clip, "--json", "--quiet", "--sensitivity", "high")
	hv := oneJSON(t, high.stdout)
	nt, ht := normal["thresholds"].(map[string]any), hv["thresholds"].(map[string]any)
	if !(ht["medium"].(float64) < nt["medium"].(float64)) || hv["risk"] != normal["risk"] {
		t.Errorf("sensitivity high: thresholds %v (normal %v), risk %v (normal %v)", ht, nt, hv["risk"], normal["risk"])
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	last := -1
	for _, l := range lines {
		var p struct {
			Progress *struct {
				Frames, Total int
				FPS           float64
			}
		}
		if err := json.Unmarshal([]byte(l), &p); err != nil || p.Progress == nil {
			t.Fatalf("stderr line %q is not a progress object (%v)", l, err)
		}
		if p.Progress.Frames < last || p.Progress.Total < 140 || p.Progress.Frames > p.Progress.Total+5 {
			t.Fatalf("progress %+v after %d frames", *p.Progress, last)
		}
		last = p.Progress.Frames
	}
	if last < 1 {
		t.Errorf("no progress line in %q", r.stderr)
	}
}
