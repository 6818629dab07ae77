package devices

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind names what a Finding is about; the values are stable and used in
// JSON.
type Kind string

// The kinds of finding.
const (
	KindVirtualCameraSelected     Kind = "virtual_camera_selected"
	KindVirtualCameraPresent      Kind = "virtual_camera_present"
	KindVirtualMicrophoneSelected Kind = "virtual_microphone_selected"
	KindVirtualMicrophonePresent  Kind = "virtual_microphone_present"
	KindNonBrowserClient          Kind = "non_browser_client"
	KindAspectRatioMismatch       Kind = "aspect_ratio_mismatch"
	KindFrameLargerThanReported   Kind = "frame_larger_than_reported"
	KindFrameRateLow              Kind = "frame_rate_low"
	KindFrameRateHigh             Kind = "frame_rate_high"
)

// Strengths of each finding, as the probability-like weight a noisy-OR
// fusion (analysis/fuse) can take. Device names are easy to change in both
// directions (a virtual camera can be renamed "Integrated Camera", a real
// one can be routed through OBS for honest reasons), so no name is more
// than moderate evidence; the picture itself has to confirm it.
const (
	// A virtual camera in use is the usual route of a live face swap, and
	// honest candidates rarely interview through one: moderate.
	StrengthVirtualCameraSelected = 0.6
	// Installed but not used: streamers, teachers and phone-as-webcam
	// users have these; only worth a look if the video is odd.
	StrengthVirtualCameraPresent = 0.25
	// Voice changers need a virtual microphone, but so do podcast mixers
	// (VoiceMeeter) and noise tools, and a voice clone is a separate
	// attack from a face swap: weaker than the camera.
	StrengthVirtualMicrophoneSelected = 0.4
	StrengthVirtualMicrophonePresent  = 0.15
	// Who sent the report, not what it shows: a fact to note.
	StrengthNonBrowserClient = 0.2
	// Browsers scale video down keeping its shape and never up, so a
	// different shape or a bigger picture means the source is not the
	// reported camera; rotation and cropping are allowed for (received.go).
	StrengthAspectRatioMismatch     = 0.5
	StrengthFrameLargerThanReported = 0.5
	// Too slow has ordinary causes too (dim light, a busy computer, a poor
	// network); too fast has none.
	StrengthFrameRateLow  = 0.3
	StrengthFrameRateHigh = 0.5
)

// Finding is one fact about the candidate's devices that an interviewer
// can act on.
type Finding struct {
	Kind     Kind    `json:"kind"`
	Device   string  `json:"device,omitempty"`  // the label as reported (cleaned)
	Product  string  `json:"product,omitempty"` // Product.Name, or what the client is
	Strength float64 `json:"strength"`          // 0..1, see the Strength constants
	Reason   string  `json:"reason"`            // one or two sentences for the interviewer
}

// Assess returns the findings about f's devices and user agent, strongest
// first: a virtual camera or microphone in use, others merely installed
// (one finding per product; Common products only when in use), and a
// client that is not a browser. It returns nil when nothing stands out.
// Assess does not retain f.
func Assess(f Facts) []Finding {
	var out []Finding
	for _, m := range []struct {
		kind   DeviceKind
		track  *Track
		inputs []Device
	}{{Camera, f.VideoTrack, f.VideoInputs}, {Microphone, f.AudioTrack, f.AudioInputs}} {
		out = append(out, assessKind(m.kind, m.track, m.inputs)...)
	}
	out = append(out, AssessUserAgent(f.UserAgent)...)
	slices.SortStableFunc(out, func(a, b Finding) int { return cmp.Compare(b.Strength, a.Strength) })
	return out
}

// assessKind reports the selected device of one kind and the other
// virtual devices of that kind.
func assessKind(kind DeviceKind, track *Track, inputs []Device) []Finding {
	var out []Finding
	seen := map[string]bool{} // product names already reported
	selected := ""
	if track != nil {
		selected = track.Label
		if selected == "" && track.Settings.DeviceID != "" {
			// Some browsers leave the track label empty; the device list
			// has the same device under its deviceId.
			for _, d := range inputs {
				if d.DeviceID == track.Settings.DeviceID {
					selected = d.Label
					break
				}
			}
		}
		if p, ok := Match(kind, selected); ok {
			out = append(out, selectedFinding(kind, selected, p))
			seen[p.Name] = true
		}
	}
	for _, d := range inputs {
		p, ok := Match(kind, d.Label)
		if !ok || p.Common || seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		out = append(out, presentFinding(kind, d.Label, p))
	}
	return out
}

func selectedFinding(kind DeviceKind, label string, p Product) Finding {
	if kind == Camera {
		return Finding{
			Kind: KindVirtualCameraSelected, Device: label, Product: p.Name, Strength: StrengthVirtualCameraSelected,
			Reason: fmt.Sprintf("The candidate's camera is %q, a virtual camera (%s). "+
				"A name alone is weak evidence (labels can be renamed): ask them to switch to their built-in camera "+
				"and pass a hand in front of their face.", label, p.Name),
		}
	}
	return Finding{
		Kind: KindVirtualMicrophoneSelected, Device: label, Product: p.Name, Strength: StrengthVirtualMicrophoneSelected,
		Reason: fmt.Sprintf("The candidate's microphone is %q, a virtual audio device (%s) that can carry any program's sound, "+
			"such as a voice changer. A name alone is weak evidence (labels can be renamed): ask them to switch to "+
			"their built-in or headset microphone.", label, p.Name),
	}
}

func presentFinding(kind DeviceKind, label string, p Product) Finding {
	if kind == Camera {
		return Finding{
			Kind: KindVirtualCameraPresent, Device: label, Product: p.Name, Strength: StrengthVirtualCameraPresent,
			Reason: fmt.Sprintf("%q, a virtual camera (%s), is installed on the candidate's computer but not in use. "+
				"Many streamers and remote workers have one and labels can be renamed, so this is weak evidence: "+
				"if the video looks odd, ask which camera they are using.", label, p.Name),
		}
	}
	return Finding{
		Kind: KindVirtualMicrophonePresent, Device: label, Product: p.Name, Strength: StrengthVirtualMicrophonePresent,
		Reason: fmt.Sprintf("%q, a virtual audio device (%s), is installed on the candidate's computer but not in use. "+
			"Many people have one for streaming or mixing and labels can be renamed, so this is weak evidence: "+
			"if the voice sounds odd, ask which microphone they are using.", label, p.Name),
	}
}

// clients are user agent fragments of programs that are not the
// candidate's browser, matched case-insensitively. Browsers all start
// with "Mozilla/5.0"; OBS's WHIP output does too ("Mozilla/5.0
// (OBS-Studio/30.1.2; Windows x86_64; en-US)"), hence the list.
var clients = []struct{ fragment, what string }{
	{"obs-studio", "OBS Studio's WHIP output"},
	{"headlesschrome", "headless Chrome, a browser driven by a program"},
	{"phantomjs", "PhantomJS, a browser driven by a program"},
	{"electron/", "an Electron desktop app"},
	{"curl/", "curl"},
	{"wget/", "wget"},
	{"python", "a Python program"},
	{"go-http-client", "a Go program"},
	{"gstreamer", "GStreamer"},
	{"lavf/", "FFmpeg"},
	{"ffmpeg", "FFmpeg"},
	{"okhttp", "an Android or Java program"},
	{"java/", "a Java program"},
	{"node-fetch", "a Node.js program"},
	{"undici", "a Node.js program"},
	{"axios/", "a Node.js program"},
	{"postmanruntime", "Postman"},
	{"libwww-perl", "a Perl program"},
}

// maxQuoted bounds how much of a user agent a Reason quotes.
const maxQuoted = 120

// AssessUserAgent reports a user agent that is not a web browser: empty,
// not of the "Mozilla/5.0 ..." form every browser sends, or naming a
// known program. The WHIP handler can call it with the HTTP request's
// User-Agent too. It is a fact about the client, weak on its own (any
// program can send a browser's user agent, and an honest engineer may
// test with curl).
func AssessUserAgent(ua string) []Finding {
	ua = strings.TrimSpace(ua)
	what := ""
	lower := strings.ToLower(ua)
	for _, c := range clients {
		if strings.Contains(lower, c.fragment) {
			what = c.what
			break
		}
	}
	switch {
	case what != "":
	case ua == "":
		what = "no user agent at all"
	case !strings.HasPrefix(ua, "Mozilla/5.0"):
		what = "not a web browser's user agent"
	default:
		return nil
	}
	quoted := "an empty user agent"
	if ua != "" {
		quoted = fmt.Sprintf("the user agent %q", truncate(ua, maxQuoted))
	}
	return []Finding{{
		Kind: KindNonBrowserClient, Product: what, Strength: StrengthNonBrowserClient,
		Reason: fmt.Sprintf("The candidate's connection sent %s (%s), not a normal web browser. "+
			"The video may come from a streaming tool or a script rather than a camera in a browser; "+
			"on its own this is weak evidence: ask them which app they joined with.", quoted, what),
	}}
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
