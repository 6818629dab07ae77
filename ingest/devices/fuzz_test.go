package devices_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/unmaskhq/unmask/ingest/devices"
)

// FuzzParseFacts feeds arbitrary bytes to ParseFacts. It must not panic;
// an error must wrap ErrTooLarge or ErrInvalid; an accepted report must
// keep every limit (no control or formatting characters, lengths, counts,
// numbers in range), survive Assess, and parse back to itself from its own
// JSON (cleaning is idempotent).
func FuzzParseFacts(f *testing.F) {
	f.Add([]byte(chromeReport))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"videoTrack": {"label": "OBS\u200b Virtual Camera", "settings": {"width": 1280.5}}}`))
	f.Add([]byte(`{"audioInputs": [{"label": "CABLE Output (VB-Audio Virtual Cable)"}], "userAgent": "curl/8"}`))
	f.Add([]byte(`{"videoTrack": {"settings": {"frameRate": -1, "width": 1e400}}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"videoInputs": [{"label": "\u0000\u202e\ud800"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := devices.ParseFacts(data)
		if err != nil {
			if !errors.Is(err, devices.ErrTooLarge) && !errors.Is(err, devices.ErrInvalid) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		checkFacts(t, facts)
		for _, fd := range devices.Assess(facts) {
			if fd.Strength <= 0 || fd.Strength > 1 || fd.Reason == "" || fd.Kind == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
		if facts.VideoTrack != nil {
			devices.CompareReceived(facts.VideoTrack.Settings, devices.Received{Width: 640, Height: 480, Frames: 300, Span: 1e10})
		}
		again, err := json.Marshal(facts)
		if err != nil {
			t.Fatal(err)
		}
		back, err := devices.ParseFacts(again)
		if err != nil {
			t.Fatalf("own JSON rejected: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(normal(facts), normal(back)) {
			t.Fatalf("round trip changed the report:\n%+v\n%+v", facts, back)
		}
	})
}

// normal treats nil and empty device lists alike (omitempty is not used
// on them, so they survive, but a nil list marshals as null).
func normal(f devices.Facts) devices.Facts {
	if len(f.VideoInputs) == 0 {
		f.VideoInputs = nil
	}
	if len(f.AudioInputs) == 0 {
		f.AudioInputs = nil
	}
	return f
}

func checkFacts(t *testing.T, f devices.Facts) {
	t.Helper()
	checkString(t, "userAgent", f.UserAgent, devices.MaxUserAgentRunes)
	for _, list := range [][]devices.Device{f.VideoInputs, f.AudioInputs} {
		if len(list) > devices.MaxDevices {
			t.Fatalf("%d devices", len(list))
		}
		for _, d := range list {
			for _, s := range []string{d.DeviceID, d.GroupID, d.Kind, d.Label} {
				checkString(t, "device", s, devices.MaxLabelRunes)
			}
		}
	}
	for _, tr := range []*devices.Track{f.VideoTrack, f.AudioTrack} {
		if tr == nil {
			continue
		}
		s := tr.Settings
		for _, str := range []string{tr.Label, s.DeviceID, s.GroupID, s.FacingMode, s.ResizeMode} {
			checkString(t, "track", str, devices.MaxLabelRunes)
		}
		if s.Width < 0 || s.Width > 16384 || s.Height < 0 || s.Height > 16384 || !(s.FrameRate >= 0 && s.FrameRate <= 1000) ||
			s.SampleRate < 0 || s.ChannelCount < 0 || s.ChannelCount > 64 || !(s.Latency >= 0 && s.Latency <= 10) ||
			!(s.AspectRatio >= 0 && s.AspectRatio <= 100) {
			t.Fatalf("settings out of range: %+v", s)
		}
	}
}

func checkString(t *testing.T, what, s string, limit int) {
	t.Helper()
	if utf8.RuneCountInString(s) > limit || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Fatalf("%s %q: over %d runes or untrimmed", what, s, limit)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			t.Fatalf("%s %q contains %U", what, s, r)
		}
	}
}
