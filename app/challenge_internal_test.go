package app

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/signal"
)

// frames returns n frames at 25 fps, with a face unless lost says not,
// turning the head by yaw(i) degrees.
func frames(n int, lost func(int) bool, yaw func(int) float64) []frameNote {
	out := make([]frameNote, n)
	for i := range out {
		out[i] = frameNote{at: time.Duration(i) * 40 * time.Millisecond, face: !lost(i), yaw: yaw(i)}
	}
	return out
}

func window(level fuse.Level, risk float64, scores ...signal.Score) fuse.Window {
	return fuse.Window{End: 2 * time.Second, Level: level, Risk: risk, Scores: scores}
}

func TestJudgeChallenge(t *testing.T) {
	never := func(int) bool { return false }
	still := func(int) float64 { return 0 }
	calm := window(fuse.Low, 0.05, signal.Score{Signal: "occlusion", Valid: true, Value: 0.1, Metrics: map[string]float64{"event_frames": 12}})
	for _, tc := range []struct {
		name    string
		kind    string
		frames  []frameNote
		windows []fuse.Window
		passed  bool
		reason  string
	}{
		{"hand seen, face held", "hand", frames(200, never, still), []fuse.Window{calm}, true, "a hand covered the face"},
		{"hand hides the face", "hand", frames(200, func(i int) bool { return i > 80 && i < 95 }, still),
			[]fuse.Window{window(fuse.Low, 0.1)}, true, "in about 14 frames"},
		{"no hand", "hand", frames(200, never, still), []fuse.Window{window(fuse.Low, 0.05)}, false, "no hand was seen"},
		{"hand, face breaks", "hand", frames(200, never, still),
			[]fuse.Window{calm, window(fuse.High, 0.9, signal.Score{Signal: "occlusion", Valid: true, Value: 0.95, Reasons: []string{"face drawn over the hand"}})},
			false, "face drawn over the hand"},
		{"full turn", "turn", frames(200, never, func(i int) float64 { return 30 * math.Sin(float64(i)/30) }), []fuse.Window{calm}, true, "the head turned"},
		{"small turn", "turn", frames(200, never, func(i int) float64 { return 8 * math.Sin(float64(i)/30) }), []fuse.Window{calm}, false, "at least 20°"},
		{"no pose", "turn", frames(200, never, func(int) float64 { return math.NaN() }), []fuse.Window{calm}, false, "turned 0°"},
		{"ID beside the face", "id", frames(250, func(i int) bool { return i%10 == 0 }, still), []fuse.Window{calm}, true, "stayed in view"},
		{"ID over the face", "id", frames(250, func(i int) bool { return i%2 == 0 }, still), []fuse.Window{calm}, false, "only 50%"},
		{"no video", "hand", frames(3, never, still), nil, false, "too little video"},
		{"not scored yet", "hand", frames(200, func(i int) bool { return i < 20 }, still), nil, false, "not scored this moment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := judgeChallenge(tc.kind, challengeKinds[tc.kind], tc.frames, tc.windows)
			if res.passed != tc.passed {
				t.Errorf("passed = %v, want %v (%v)", res.passed, tc.passed, res.reasons)
			}
			if !strings.Contains(strings.Join(res.reasons, " | "), tc.reason) {
				t.Errorf("reasons %q do not say %q", res.reasons, tc.reason)
			}
		})
	}
}

func TestJPEGSizeAndFrameURL(t *testing.T) {
	if _, _, ok := jpegSize([]byte("not a jpeg")); ok {
		t.Error("jpegSize accepted text")
	}
	if _, _, ok := jpegSize([]byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 1}); ok {
		t.Error("jpegSize accepted a truncated header")
	}
	for _, tc := range []struct {
		url  string
		want int
	}{
		{frameURL("live", "abc", 42), 42}, {"/frames/live/abc/x.jpg", -1}, {"", -1}, {"/frames/live/abc/-3.jpg", -1}, {"/frames/live/abc/7.png", -1},
	} {
		if got := frameIndexOf(tc.url); got != tc.want {
			t.Errorf("frameIndexOf(%q) = %d, want %d", tc.url, got, tc.want)
		}
	}
}
