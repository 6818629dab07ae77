package devices_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/ingest/devices"
)

// chromeReport is what the page sends from Chrome on Windows with OBS's
// virtual camera selected; getSettings() members Unmask does not read are
// kept to show they are ignored.
const chromeReport = `{
  "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "videoInputs": [
    {"deviceId": "9f2c1e", "groupId": "41aa", "kind": "videoinput", "label": "Integrated Camera (04f2:b6dd)"},
    {"deviceId": "c81e0a", "groupId": "77d0", "kind": "videoinput", "label": "OBS Virtual Camera"}
  ],
  "audioInputs": [
    {"deviceId": "default", "groupId": "3b1f", "kind": "audioinput", "label": "Default - Microphone Array (Realtek(R) Audio)"},
    {"deviceId": "communications", "groupId": "3b1f", "kind": "audioinput", "label": "Communications - Microphone Array (Realtek(R) Audio)"}
  ],
  "videoTrack": {"label": "OBS Virtual Camera", "settings": {
    "deviceId": "c81e0a", "groupId": "77d0", "width": 1280, "height": 720, "frameRate": 30.000030517578125,
    "aspectRatio": 1.7777777777777777, "resizeMode": "none", "backgroundBlur": false}},
  "audioTrack": {"label": "Default - Microphone Array (Realtek(R) Audio)", "settings": {
    "deviceId": "default", "groupId": "3b1f", "sampleRate": 48000, "sampleSize": 16, "channelCount": 1,
    "latency": 0.01, "echoCancellation": true, "autoGainControl": true, "noiseSuppression": false,
    "voiceIsolation": false}},
  "extra": {"anything": [1, 2, 3]}
}`

func TestParseFactsChrome(t *testing.T) {
	f, err := devices.ParseFacts([]byte(chromeReport))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(f.VideoInputs), 2; got != want {
		t.Fatalf("videoInputs: got %d, want %d", got, want)
	}
	if got, want := f.VideoInputs[1].Label, "OBS Virtual Camera"; got != want {
		t.Errorf("videoInputs[1].label: got %q, want %q", got, want)
	}
	v := f.VideoTrack
	if v == nil || v.Label != "OBS Virtual Camera" || v.Settings.Width != 1280 || v.Settings.Height != 720 ||
		v.Settings.FrameRate < 30 || v.Settings.FrameRate > 30.001 || v.Settings.DeviceID != "c81e0a" || v.Settings.ResizeMode != "none" {
		t.Errorf("videoTrack: got %+v", v)
	}
	a := f.AudioTrack
	if a == nil || a.Settings.SampleRate != 48000 || a.Settings.ChannelCount != 1 || a.Settings.Latency != 0.01 ||
		a.Settings.EchoCancellation == nil || !*a.Settings.EchoCancellation || a.Settings.NoiseSuppression == nil || *a.Settings.NoiseSuppression {
		t.Errorf("audioTrack: got %+v", a)
	}
	if !strings.HasPrefix(f.UserAgent, "Mozilla/5.0 (Windows NT 10.0") {
		t.Errorf("userAgent: got %q", f.UserAgent)
	}
}

// TestParseFactsLenient covers what a real browser may send that must
// still parse: nulls (JSON.stringify turns NaN into null), absent tracks,
// empty labels before permission, an empty object.
func TestParseFactsLenient(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"empty-object", `{}`},
		{"nulls", `{"userAgent": null, "videoInputs": null, "videoTrack": {"label": "x", "settings": {"frameRate": null, "width": null}}}`},
		{"no-permission-yet", `{"videoInputs": [{"deviceId": "", "kind": "videoinput", "label": ""}]}`},
		{"firefox-no-framerate", `{"videoTrack": {"label": "FaceTime HD Camera", "settings": {"width": 640, "height": 480}}}`},
		{"whitespace", " \n\t{\"userAgent\": \"Mozilla/5.0\"}\n"},
		{"exactly-64-devices", `{"videoInputs": [` + strings.TrimSuffix(strings.Repeat(`{"label":"Cam"},`, devices.MaxDevices), ",") + `]}`},
		{"label-256-runes-multibyte", `{"videoTrack": {"label": "` + strings.Repeat("é", devices.MaxLabelRunes) + `"}}`},
		{"zero-numbers", `{"videoTrack": {"settings": {"width": 0, "height": 0, "frameRate": 0}}}`},
		{"max-numbers", `{"videoTrack": {"settings": {"width": 16384, "height": 16384, "frameRate": 1000, "aspectRatio": 100}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := devices.ParseFacts([]byte(tc.body)); err != nil {
				t.Fatalf("ParseFacts: %v", err)
			}
		})
	}
}

// TestParseFactsCleaning checks that control and invisible formatting
// characters are removed and whitespace collapsed before matching, so a
// zero-width space cannot hide "Virtual" and a newline cannot forge a log
// line.
func TestParseFactsCleaning(t *testing.T) {
	body := `{"userAgent": "Mozilla/5.0\u0000 (X11)\r\nInjected: yes",
	  "videoInputs": [{"label": "  OBS\u200b Vir\u200dtual\tCamera\u202e  "}],
	  "videoTrack": {"label": "\u0007Many\u00adCam\u2066 Virtual\u00a0 Webcam\n"}}`
	f, err := devices.ParseFacts([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ field, got, want string }{
		{"userAgent", f.UserAgent, "Mozilla/5.0 (X11) Injected: yes"},
		{"videoInputs[0].label", f.VideoInputs[0].Label, "OBS Virtual Camera"},
		{"videoTrack.label", f.VideoTrack.Label, "ManyCam Virtual Webcam"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.field, tc.got, tc.want)
		}
	}
	if _, ok := devices.Match(devices.Camera, f.VideoTrack.Label); !ok {
		t.Errorf("cleaned label %q does not match", f.VideoTrack.Label)
	}
	// Control characters alone clean to nothing and do not count against
	// the limit.
	body = `{"videoTrack": {"label": "` + strings.Repeat(`\u0001`, 1000) + `Cam"}}`
	if f, err := devices.ParseFacts([]byte(body)); err != nil || f.VideoTrack.Label != "Cam" {
		t.Errorf("label of control characters: %+v, %v", f.VideoTrack, err)
	}
}

func TestParseFactsErrors(t *testing.T) {
	long := strings.Repeat("a", devices.MaxLabelRunes+1)
	devicesJSON := func(n int) string {
		return `{"audioInputs": [` + strings.TrimSuffix(strings.Repeat(`{"label":"Mic"},`, n), ",") + `]}`
	}
	for _, tc := range []struct {
		name, body string
		want       error
		mention    string // the error names this
	}{
		{"body-over-64KiB", `{"userAgent": "` + strings.Repeat("a", devices.MaxBodySize) + `"}`, devices.ErrTooLarge, "body"},
		{"65-devices", devicesJSON(devices.MaxDevices + 1), devices.ErrTooLarge, "audioInputs has 65"},
		{"label-257-runes", `{"videoInputs": [{"label": "` + long + `"}]}`, devices.ErrTooLarge, "videoInputs[0].label"},
		{"device-id-257-runes", `{"audioInputs": [{"label": "x"}, {"deviceId": "` + long + `"}]}`, devices.ErrTooLarge, "audioInputs[1].deviceId"},
		{"track-label-257-runes", `{"audioTrack": {"label": "` + long + `"}}`, devices.ErrTooLarge, "audioTrack.label"},
		{"user-agent-too-long", `{"userAgent": "` + strings.Repeat("a", devices.MaxUserAgentRunes+1) + `"}`, devices.ErrTooLarge, "userAgent"},
		{"negative-width", `{"videoTrack": {"settings": {"width": -1280}}}`, devices.ErrInvalid, "videoTrack.settings.width"},
		{"fractional-height", `{"videoTrack": {"settings": {"height": 720.5}}}`, devices.ErrInvalid, "videoTrack.settings.height"},
		{"absurd-width", `{"videoTrack": {"settings": {"width": 100000}}}`, devices.ErrInvalid, "videoTrack.settings.width"},
		{"huge-int", `{"videoTrack": {"settings": {"width": 1e30}}}`, devices.ErrInvalid, "width"},
		{"absurd-frame-rate", `{"videoTrack": {"settings": {"frameRate": 1e9}}}`, devices.ErrInvalid, "videoTrack.settings.frameRate"},
		{"overflowing-frame-rate", `{"videoTrack": {"settings": {"frameRate": 1e400}}}`, devices.ErrInvalid, "frameRate"},
		{"negative-frame-rate", `{"videoTrack": {"settings": {"frameRate": -30}}}`, devices.ErrInvalid, "frameRate"},
		{"negative-latency", `{"audioTrack": {"settings": {"latency": -0.01}}}`, devices.ErrInvalid, "audioTrack.settings.latency"},
		{"absurd-channels", `{"audioTrack": {"settings": {"channelCount": 1000}}}`, devices.ErrInvalid, "channelCount"},
		{"absurd-sample-rate", `{"audioTrack": {"settings": {"sampleRate": 10000000}}}`, devices.ErrInvalid, "sampleRate"},
		{"nan-literal", `{"videoTrack": {"settings": {"frameRate": NaN}}}`, devices.ErrInvalid, "malformed JSON"},
		{"string-frame-rate", `{"videoTrack": {"settings": {"frameRate": "30"}}}`, devices.ErrInvalid, "videoTrack.settings.frameRate"},
		{"bool-as-string", `{"audioTrack": {"settings": {"echoCancellation": "yes"}}}`, devices.ErrInvalid, "echoCancellation"},
		{"inputs-not-array", `{"videoInputs": {"label": "x"}}`, devices.ErrInvalid, "videoInputs"},
		{"label-not-string", `{"videoInputs": [{"label": 7}]}`, devices.ErrInvalid, "label"},
		{"top-level-array", `[{"label": "x"}]`, devices.ErrInvalid, "object"},
		{"null", `null`, devices.ErrInvalid, "object"},
		{"empty", ``, devices.ErrInvalid, "object"},
		{"truncated", `{"userAgent": "Mozilla`, devices.ErrInvalid, "JSON"},
		{"trailing-garbage", `{} {}`, devices.ErrInvalid, "JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := devices.ParseFacts([]byte(tc.body))
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParseFacts = %+v, %v; want %v", f, err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not mention %q", err, tc.mention)
			}
			if fmt.Sprint(f) != fmt.Sprint(devices.Facts{}) {
				t.Errorf("error with non-zero Facts %+v", f)
			}
		})
	}
}
