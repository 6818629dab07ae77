package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// contract checks the analyze JSON fields other tools depend on.
func contract(t *testing.T, v map[string]any) map[string]map[string]any {
	t.Helper()
	risk, ok := v["risk"].(float64)
	if !ok || risk < 0 || risk > 1 {
		t.Fatalf("risk %v", v["risk"])
	}
	if l := v["level"]; l != "low" && l != "medium" && l != "high" {
		t.Fatalf("level %v", l)
	}
	sigs, ok := v["signals"].(map[string]any)
	if !ok {
		t.Fatalf("signals %T", v["signals"])
	}
	out := map[string]map[string]any{}
	for _, name := range signalNames {
		s, ok := sigs[name].(map[string]any)
		if !ok {
			t.Fatalf("signal %s missing", name)
		}
		if _, ok := s["score"].(float64); !ok {
			t.Fatalf("signal %s: no score", name)
		}
		if _, ok := s["reasons"].([]any); !ok {
			t.Fatalf("signal %s: no reasons", name)
		}
		out[name] = s
	}
	ls := out["lipsync"]
	for _, k := range []string{"offset_ms", "confidence"} {
		if _, ok := ls[k]; !ok {
			t.Fatalf("lipsync has no %s key", k)
		}
	}
	if _, ok := v["windows"].([]any); !ok {
		t.Fatalf("windows %T", v["windows"])
	}
	if _, ok := v["evidence"].([]any); !ok {
		t.Fatalf("evidence %T", v["evidence"])
	}
	return out
}

func firstReason(s map[string]any) string {
	if r, ok := s["reasons"].([]any); ok && len(r) > 0 {
		return r[0].(string)
	}
	return ""
}

// TestAudioInputs: any WAV the audio package accepts, silence, sound
// shorter or longer than the video, no sound, and broken files.
func TestAudioInputs(t *testing.T) {
	dir := t.TempDir()
	clip := filepath.Join(dir, "cap13-8s.mp4")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "8", "-an", "-c:v", "libx264", "-preset", "ultrafast", clip)
	speech := filepath.Join(dir, "speech.wav")
	ffmpeg(t, "-f", "lavfi", "-i", "sine=f=180:d=8,volume=0.5", "-af", "apulsator=hz=4", "-ar", "16000", speech)
	wav := func(name string, args ...string) string {
		p := filepath.Join(dir, name)
		ffmpeg(t, append(append([]string{"-i", speech}, args...), p)...)
		return p
	}
	silent := filepath.Join(dir, "silent.wav")
	ffmpeg(t, "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "8", silent)
	corrupt := filepath.Join(dir, "corrupt.wav")
	b, _ := os.ReadFile(speech)
	copy(b[8:12], "JUNK") // WAVE id overwritten
	os.WriteFile(corrupt, b, 0o644)

	tests := []struct {
		name, audio string
		code        int
		want        string // in stderr (errors) or a warning or the lip-sync reason
	}{
		{"no audio at all", "", 0, "no audio"},
		{"16 kHz mono", speech, 0, ""},
		{"8 kHz stereo 24-bit", wav("s24.wav", "-ar", "8000", "-ac", "2", "-c:a", "pcm_s24le"), 0, ""},
		{"48 kHz float", wav("f32.wav", "-ar", "48000", "-c:a", "pcm_f32le"), 0, ""},
		{"44.1 kHz 8-bit 6 channels", wav("u8.wav", "-ar", "44100", "-ac", "6", "-c:a", "pcm_u8"), 0, ""},
		{"silence", silent, 0, "too little speech"},
		{"shorter than the video", wav("short.wav", "-t", "2"), 0, "shorter than the video"},
		{"longer than the video", wav("long.wav", "-af", "apad=pad_dur=12"), 0, "longer than the video"},
		{"corrupt header", corrupt, exitInput, "wav"},
		{"missing file", filepath.Join(dir, "nope.wav"), exitInput, "not a readable file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"analyze", clip, "--json", "--quiet"}
			if tt.audio != "" {
				args = append(args, "--audio", tt.audio)
			}
			r := unmask(t, nil, args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
			if tt.code != 0 {
				if !strings.Contains(strings.ToLower(r.stderr), tt.want) || r.stdout != "" {
					t.Fatalf("stderr %q lacks %q (stdout %q)", r.stderr, tt.want, r.stdout)
				}
				return
			}
			v := oneJSON(t, r.stdout)
			sigs := contract(t, v)
			lip := sigs["lipsync"]
			all := firstReason(lip) + " " + strings.Join(strs(v["warnings"]), " ")
			if tt.want != "" && !strings.Contains(all, tt.want) {
				t.Errorf("neither the lip-sync reason nor the warnings mention %q: %s", tt.want, all)
			}
			if tt.audio != "" && strings.Contains(firstReason(lip), "no audio") {
				t.Errorf("audio given but lip-sync says %q", firstReason(lip))
			}
		})
	}
}

func strs(v any) []string {
	var out []string
	if a, ok := v.([]any); ok {
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestFaceLostForLongStretches blacks out 4 s of an 8 s clip: the
// analysis finishes, says how little face it saw, abstains in the gap,
// and does not turn missing faces into a verdict.
func TestFaceLostForLongStretches(t *testing.T) {
	dir := t.TempDir()
	clip := filepath.Join(dir, "gap.mp4")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "8", "-an", "-vf", "drawbox=x=0:y=0:w=iw:h=ih:c=black:t=fill:enable='between(t,2,6)'",
		"-c:v", "libx264", "-preset", "ultrafast", clip)
	r := unmask(t, nil, "analyze", clip, "--json", "--quiet")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	v := oneJSON(t, r.stdout)
	contract(t, v)
	if ff := v["face_fraction"].(float64); ff < 0.4 || ff > 0.6 {
		t.Errorf("face fraction %.2f, want about half", ff)
	}
	if v["level"] == "high" {
		t.Errorf("level high on a real clip with the face gone for 4 s")
	}
	gapWindows := 0
	for _, w := range v["windows"].([]any) {
		w := w.(map[string]any)
		if s, e := w["start_s"].(float64), w["end_s"].(float64); s >= 2.5 && e <= 5.5 {
			gapWindows++
			if sc := w["scores"].(map[string]any); sc["temporal"] != nil || sc["boundary"] != nil {
				t.Errorf("window %.0f-%.0f s without a face scored face signals: %v", s, e, sc)
			}
		}
	}
	if gapWindows == 0 {
		t.Errorf("no window inside the gap")
	}
}

// TestEvidenceForManipulatedStream: a stream denoised and re-sent at a
// third of its rate, as a virtual camera behind a slow renderer sends it,
// reaches medium or high; evidence and the report are written and hashed.
func TestEvidenceForManipulatedStream(t *testing.T) {
	dir := t.TempDir()
	clip := filepath.Join(dir, "vcam.mp4")
	ffmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", "10", "-an", "-vf", "hqdn3d=8:8:12:12,fps=25/3,fps=25",
		"-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", clip)
	out := filepath.Join(dir, "out")
	r := unmask(t, nil, "analyze", clip, "--json", "--quiet", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	v := oneJSON(t, r.stdout)
	sigs := contract(t, v)
	if v["level"] == "low" {
		t.Fatalf("level low; virtual camera %v: %s", sigs["virtual_camera"]["score"], firstReason(sigs["virtual_camera"]))
	}
	evs := v["evidence"].([]any)
	if len(evs) == 0 {
		t.Fatalf("no evidence for a %v window", v["level"])
	}
	for _, e := range evs {
		e := e.(map[string]any)
		for _, k := range []string{"plain", "annotated", "clip", "metrics"} {
			p, _ := e[k].(string)
			if st, err := os.Stat(filepath.Join(out, p)); p == "" || err != nil || st.Size() == 0 {
				t.Errorf("evidence %s %q: %v", k, p, err)
			}
		}
	}
	for _, f := range []string{"report.html", "report.json", "summary.json", "track.jsonl"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := evidence.Verify(out); err != nil {
		t.Errorf("manifest does not verify: %v", err)
	}
}
