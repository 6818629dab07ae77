package devices

import (
	"strings"
	"unicode"
)

// DeviceKind says whether a product is a camera or a microphone.
type DeviceKind uint8

// The two kinds of device a product can present.
const (
	Camera DeviceKind = iota + 1
	Microphone
)

// String returns "camera" or "microphone".
func (k DeviceKind) String() string {
	switch k {
	case Camera:
		return "camera"
	case Microphone:
		return "microphone"
	}
	return "unknown"
}

// Product is a piece of software (or a driver) that presents itself to the
// browser as a camera or a microphone while its picture or sound comes
// from a program: the route a real-time face swapper or voice changer
// takes into a call.
type Product struct {
	Name string
	Kind DeviceKind
	// Patterns are matched against device labels of Kind only. A pattern
	// is one or more words; it matches when they appear as consecutive
	// whole words of the label, ignoring case and punctuation, so "OBS
	// Virtual Camera (m-de:vice)" matches "obs" and "Camera" does not
	// match "camo". A word ending in "*" matches any word it begins
	// ("virtual*" matches "VirtualCam").
	Patterns []string
	// Common marks products that are preinstalled or built into many
	// ordinary machines: Assess reports them when selected, never merely
	// for being present.
	Common bool
	Note   string // what it is, for the list and the UI
}

// products is the maintained list. Order matters: the first match wins,
// so products whose labels contain another product's words come first
// (Streamlabs before OBS, VoiceMeeter before VB-Cable, the generic
// "virtual" rows last).
var products = []Product{
	// Cameras.
	{Name: "Streamlabs", Kind: Camera, Patterns: []string{"streamlabs"},
		Note: `Streamlabs Desktop (formerly Streamlabs OBS) virtual webcam, e.g. "Streamlabs OBS Virtual Webcam".`},
	{Name: "OBS Studio", Kind: Camera, Patterns: []string{"obs"},
		Note: `OBS Studio's virtual camera ("OBS Virtual Camera"; "OBS-Camera" from the older obs-virtualcam plugin), the usual route for face-swap tools such as DeepFaceLive and Deep-Live-Cam.`},
	{Name: "ManyCam", Kind: Camera, Patterns: []string{"manycam"},
		Note: "ManyCam virtual webcam with effects, overlays and multiple sources."},
	{Name: "SplitCam", Kind: Camera, Patterns: []string{"splitcam"},
		Note: "SplitCam virtual webcam with effects and video sources."},
	{Name: "XSplit VCam", Kind: Camera, Patterns: []string{"xsplit"},
		Note: "XSplit VCam background removal and XSplit Broadcaster virtual camera."},
	{Name: "Snap Camera", Kind: Camera, Patterns: []string{"snap camera"},
		Note: "Snap Camera face lenses (discontinued 2023, still installed on some machines)."},
	{Name: "e2eSoft VCam", Kind: Camera, Patterns: []string{"e2esoft", "vcam"},
		Note: "e2eSoft VCam virtual camera that plays video files or screen regions."},
	{Name: "DroidCam", Kind: Camera, Patterns: []string{"droidcam", "dev47apps"},
		Note: "DroidCam: a phone used as a webcam through a virtual camera driver."},
	{Name: "Camo", Kind: Camera, Patterns: []string{"camo", "reincubate"},
		Note: "Reincubate Camo: a phone used as a webcam, with image adjustments."},
	{Name: "EpocCam", Kind: Camera, Patterns: []string{"epoccam", "kinoni"},
		Note: "Elgato (Kinoni) EpocCam: a phone used as a webcam."},
	{Name: "Iriun", Kind: Camera, Patterns: []string{"iriun"},
		Note: "Iriun Webcam: a phone used as a webcam."},
	{Name: "mmhmm", Kind: Camera, Patterns: []string{"mmhmm", "airtime camera"},
		Note: "mmhmm (later Airtime) presentation camera that composites the speaker with slides."},
	{Name: "Avatarify", Kind: Camera, Patterns: []string{"avatarify"},
		Note: "Avatarify: animates a still photo of another face in real time."},
	{Name: "CamTwist", Kind: Camera, Patterns: []string{"camtwist"},
		Note: "CamTwist (macOS) virtual camera with effects and video sources."},
	{Name: "Unity Video Capture", Kind: Camera, Patterns: []string{"unity video capture"},
		Note: "Unity Capture: a virtual camera fed by a Unity game engine scene."},
	{Name: "NDI Webcam", Kind: Camera, Patterns: []string{"ndi"},
		Note: "NDI Webcam Input (NewTek NDI Tools): any NDI network video source as a camera."},
	{Name: "vMix", Kind: Camera, Patterns: []string{"vmix"},
		Note: "vMix live production software's virtual camera output."},
	{Name: "Wirecast", Kind: Camera, Patterns: []string{"wirecast"},
		Note: "Telestream Wirecast live production software's virtual camera output."},
	{Name: "AlterCam", Kind: Camera, Patterns: []string{"altercam"},
		Note: "AlterCam virtual webcam with effects and video sources."},
	{Name: "YouCam", Kind: Camera, Patterns: []string{"youcam"}, Common: true,
		Note: "CyberLink YouCam virtual camera with face effects; preinstalled on many laptops."},
	{Name: "ChromaCam", Kind: Camera, Patterns: []string{"chromacam", "personify"},
		Note: "Personify ChromaCam background replacement camera."},
	{Name: "NVIDIA Broadcast", Kind: Camera, Patterns: []string{"nvidia broadcast"},
		Note: "NVIDIA Broadcast effects camera (background blur, eye contact correction that redraws the eyes)."},
	{Name: "FaceRig / Animaze", Kind: Camera, Patterns: []string{"facerig", "animaze"},
		Note: "FaceRig and Animaze: an animated avatar driven by the user's face."},
	{Name: "v4l2loopback", Kind: Camera, Patterns: []string{"dummy video device", "v4l2loopback", "v4l2 loopback"},
		Note: `Linux v4l2loopback kernel module (default label "Dummy video device"), fed by ffmpeg, OBS or a face-swap script.`},
	{Name: "VirtualBox", Kind: Camera, Patterns: []string{"virtualbox"},
		Note: "VirtualBox webcam pass-through: the browser runs inside a virtual machine."},
	{Name: `name contains "virtual"`, Kind: Camera, Patterns: []string{"virtual*"},
		Note: "Any camera whose name says it is virtual (Elgato Virtual Camera, Windows Virtual Camera, VMware ...)."},

	// Microphones.
	{Name: "VoiceMeeter", Kind: Microphone, Patterns: []string{"voicemeeter"},
		Note: "VB-Audio VoiceMeeter virtual mixer: any program's sound can be routed into its outputs."},
	{Name: "VB-Cable", Kind: Microphone, Patterns: []string{"cable output", "vb audio", "vb cable"},
		Note: `VB-Audio Virtual Cable ("CABLE Output"): whatever a program plays comes out as a microphone, the usual route for voice changers.`},
	{Name: "BlackHole", Kind: Microphone, Patterns: []string{"blackhole"},
		Note: "BlackHole (macOS) virtual audio loopback driver."},
	{Name: "Loopback", Kind: Microphone, Patterns: []string{"loopback"},
		Note: `Rogue Amoeba Loopback ("Loopback Audio"), or an audio interface's loopback input: both carry the computer's own sound.`},
	{Name: "Voicemod", Kind: Microphone, Patterns: []string{"voicemod"},
		Note: "Voicemod real-time voice changer."},
	{Name: "Soundflower", Kind: Microphone, Patterns: []string{"soundflower"},
		Note: "Soundflower (macOS) virtual audio loopback driver."},
	{Name: "Stereo Mix", Kind: Microphone, Patterns: []string{"stereo mix", "what u hear", "wave out mix"}, Common: true,
		Note: "A sound card's loopback of what the computer plays (Windows); present on many machines."},
	{Name: "monitor source", Kind: Microphone, Patterns: []string{"monitor of"}, Common: true,
		Note: "PulseAudio/PipeWire monitor of an output (Linux): what the computer plays; listed on every Linux machine."},
	{Name: `name contains "virtual"`, Kind: Microphone, Patterns: []string{"virtual*"},
		Note: "Any microphone whose name says it is virtual (voice changers, virtual mixers, remote desktops)."},
}

// compiled holds each product's patterns split into words once.
var compiled = func() [][][]string {
	out := make([][][]string, len(products))
	for i, p := range products {
		for _, pat := range p.Patterns {
			out[i] = append(out[i], words(pat, true))
		}
	}
	return out
}()

// Products returns a copy of the maintained list of virtual cameras and
// microphones, in matching order.
func Products() []Product {
	out := make([]Product, len(products))
	for i, p := range products {
		p.Patterns = append([]string(nil), p.Patterns...)
		out[i] = p
	}
	return out
}

// Match returns the first product of kind whose patterns match label, and
// whether there is one. Only products of that kind are tried, so
// "Loopback" is never a camera.
func Match(kind DeviceKind, label string) (Product, bool) {
	lw := words(label, false)
	if len(lw) == 0 {
		return Product{}, false
	}
	for i, p := range products {
		if p.Kind != kind {
			continue
		}
		for _, pat := range compiled[i] {
			if containsWords(lw, pat) {
				return p, true
			}
		}
	}
	return Product{}, false
}

// words splits s into lower-case runs of letters and digits: "OBS-Camera
// (m-de:vice)" is [obs camera m de vice]. In a pattern, a "*" ending a word
// is kept; in a label it is punctuation like any other.
func words(s string, pattern bool) []string {
	var out []string
	start := -1
	lower := strings.ToLower(s)
	for i, r := range lower {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || (pattern && r == '*' && start >= 0)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, lower[start:])
	}
	return out
}

// containsWords reports whether pat occurs as consecutive words of label.
func containsWords(label, pat []string) bool {
	for i := 0; i+len(pat) <= len(label); i++ {
		ok := true
		for j, w := range pat {
			if !wordMatches(label[i+j], w) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func wordMatches(word, pat string) bool {
	if prefix, ok := strings.CutSuffix(pat, "*"); ok {
		return strings.HasPrefix(word, prefix)
	}
	return word == pat
}
