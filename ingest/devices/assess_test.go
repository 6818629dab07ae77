package devices_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/ingest/devices"
)

const chromeUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

func parse(tb testing.TB, body string) devices.Facts {
	tb.Helper()
	f, err := devices.ParseFacts([]byte(body))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// kinds lists the findings' kinds in order.
func kinds(fs []devices.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Kind)+":"+f.Product)
	}
	return out
}

// TestAssessOBSSelected is the report in facts_test.go: OBS's virtual
// camera in use next to a real one.
func TestAssessOBSSelected(t *testing.T) {
	got := devices.Assess(parse(t, chromeReport))
	if len(got) != 1 {
		t.Fatalf("got %v, want one finding", kinds(got))
	}
	want := devices.Finding{
		Kind: devices.KindVirtualCameraSelected, Device: "OBS Virtual Camera", Product: "OBS Studio",
		Strength: devices.StrengthVirtualCameraSelected,
		Reason: `The candidate's camera is "OBS Virtual Camera", a virtual camera (OBS Studio). A name alone is weak ` +
			`evidence (labels can be renamed): ask them to switch to their built-in camera and pass a hand in front of their face.`,
	}
	if got[0] != want {
		t.Errorf("got  %+v\nwant %+v", got[0], want)
	}
	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	if w := `{"kind":"virtual_camera_selected","device":"OBS Virtual Camera","product":"OBS Studio","strength":0.6,"reason":"The candidate`; !strings.HasPrefix(string(b), w) {
		t.Errorf("JSON %s, want prefix %s", b, w)
	}
}

func TestAssess(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want []string // kind:product, strongest first
	}{
		{"ordinary-laptop", `{"userAgent": "` + chromeUA + `",
		  "videoInputs": [{"label": "Integrated Camera (04f2:b6dd)"}, {"label": "Logitech BRIO (046d:085e)"}],
		  "audioInputs": [{"label": "Default - Microphone Array (Realtek(R) Audio)"}, {"label": "Microphone Array (Realtek(R) Audio)"}],
		  "videoTrack": {"label": "Logitech BRIO (046d:085e)"}, "audioTrack": {"label": "Default - Microphone Array (Realtek(R) Audio)"}}`,
			nil},
		{"virtual-camera-installed-not-used", `{"userAgent": "` + chromeUA + `",
		  "videoInputs": [{"label": "FaceTime HD Camera"}, {"label": "ManyCam Virtual Webcam"}, {"label": "Snap Camera"}],
		  "videoTrack": {"label": "FaceTime HD Camera"}}`,
			[]string{"virtual_camera_present:ManyCam", "virtual_camera_present:Snap Camera"}},
		{"selected-and-listed-once", `{"userAgent": "` + chromeUA + `",
		  "videoInputs": [{"label": "OBS Virtual Camera"}, {"label": "OBS-Camera2"}, {"label": "Integrated Camera"}],
		  "videoTrack": {"label": "OBS Virtual Camera"}}`,
			[]string{"virtual_camera_selected:OBS Studio"}},
		{"voice-changer-route", `{"userAgent": "` + chromeUA + `",
		  "audioInputs": [{"deviceId": "default", "label": "Default - CABLE Output (VB-Audio Virtual Cable)"},
		    {"label": "Microphone (Realtek(R) Audio)"}, {"label": "CABLE Output (VB-Audio Virtual Cable)"},
		    {"label": "VoiceMeeter Output (VB-Audio VoiceMeeter VAIO)"}],
		  "audioTrack": {"label": "Default - CABLE Output (VB-Audio Virtual Cable)"}}`,
			[]string{"virtual_microphone_selected:VB-Cable", "virtual_microphone_present:VoiceMeeter"}},
		{"common-only-when-used", `{"userAgent": "` + chromeUA + `",
		  "videoInputs": [{"label": "HP TrueVision HD Camera"}, {"label": "CyberLink YouCam 10"}],
		  "audioInputs": [{"label": "Stereo Mix (Realtek(R) Audio)"}, {"label": "Microphone (Realtek(R) Audio)"}],
		  "videoTrack": {"label": "HP TrueVision HD Camera"}, "audioTrack": {"label": "Stereo Mix (Realtek(R) Audio)"}}`,
			[]string{"virtual_microphone_selected:Stereo Mix"}},
		{"empty-track-label-found-by-device-id", `{"userAgent": "` + chromeUA + `",
		  "videoInputs": [{"deviceId": "abc", "label": "DroidCam Source 3"}],
		  "videoTrack": {"label": "", "settings": {"deviceId": "abc"}}}`,
			[]string{"virtual_camera_selected:DroidCam"}},
		{"everything-strongest-first", `{"userAgent": "python-requests/2.31.0",
		  "videoInputs": [{"label": "Dummy video device (0x0000)"}],
		  "audioInputs": [{"label": "BlackHole 2ch"}, {"label": "Loopback Audio"}],
		  "videoTrack": {"label": "Dummy video device (0x0000)"}, "audioTrack": {"label": "BlackHole 2ch"}}`,
			[]string{"virtual_camera_selected:v4l2loopback", "virtual_microphone_selected:BlackHole",
				"non_browser_client:a Python program", "virtual_microphone_present:Loopback"}},
		{"no-labels-before-permission", `{"userAgent": "` + chromeUA + `",
		  "videoInputs": [{"deviceId": "", "label": ""}], "audioInputs": [{"label": ""}]}`,
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := devices.Assess(parse(t, tc.body))
			if g, w := strings.Join(kinds(got), ", "), strings.Join(tc.want, ", "); g != w {
				t.Fatalf("got  [%s]\nwant [%s]", g, w)
			}
			for _, f := range got {
				if f.Strength <= 0 || f.Strength > 1 || !strings.HasSuffix(f.Reason, ".") || !strings.Contains(f.Reason, "weak") {
					t.Errorf("finding %+v: strength must be in (0, 1], reason a sentence saying the evidence is weak", f)
				}
				if f.Device != "" && !strings.Contains(f.Reason, `"`+f.Device+`"`) {
					t.Errorf("reason %q does not quote the device %q", f.Reason, f.Device)
				}
			}
		})
	}
}

func TestAssessUserAgent(t *testing.T) {
	for _, tc := range []struct {
		ua   string
		want string // the client named, "" for a browser
	}{
		{chromeUA, ""},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", ""},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", ""},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", ""},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", ""},
		{"", "no user agent at all"},
		{"   ", "no user agent at all"},
		{"curl/8.5.0", "curl"},
		{"python-requests/2.31.0", "a Python program"},
		{"Python/3.11 aiohttp/3.9.5", "a Python program"},
		{"Mozilla/5.0 (OBS-Studio/30.1.2; Windows x86_64; en-US)", "OBS Studio's WHIP output"},
		{"Go-http-client/1.1", "a Go program"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", "headless Chrome, a browser driven by a program"},
		{"Lavf/59.27.100", "FFmpeg"},
		{"GStreamer souphttpsrc 1.22.0 libsoup/3.2.2", "GStreamer"},
		{"okhttp/4.12.0", "an Android or Java program"},
		{"MyInterviewBot 1.0", "not a web browser's user agent"},
	} {
		t.Run(tc.ua, func(t *testing.T) {
			got := devices.AssessUserAgent(tc.ua)
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("browser flagged: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Kind != devices.KindNonBrowserClient || got[0].Product != tc.want ||
				got[0].Strength != devices.StrengthNonBrowserClient {
				t.Fatalf("got %+v, want one non_browser_client naming %q", got, tc.want)
			}
		})
	}
	long := "curl/" + strings.Repeat("x", 500)
	if r := devices.AssessUserAgent(long)[0].Reason; len([]rune(r)) > 400 || !strings.Contains(r, "…") {
		t.Errorf("long user agent not truncated in reason: %d runes", len([]rune(r)))
	}
}
