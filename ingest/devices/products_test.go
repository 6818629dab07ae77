package devices_test

import (
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/ingest/devices"
)

// positives are labels as these products present them (from their
// drivers, documentation and user reports), with the product each must be
// attributed to.
var positives = []struct {
	kind    devices.DeviceKind
	label   string
	product string
}{
	{devices.Camera, "Streamlabs OBS Virtual Webcam", "Streamlabs"},
	{devices.Camera, "Streamlabs Desktop Virtual Webcam", "Streamlabs"},
	{devices.Camera, "OBS Virtual Camera", "OBS Studio"},
	{devices.Camera, "OBS Virtual Camera (m-de:vice)", "OBS Studio"},
	{devices.Camera, "OBS-Camera", "OBS Studio"},
	{devices.Camera, "OBS-Camera2", "OBS Studio"},
	{devices.Camera, "obs virtualcam", "OBS Studio"},
	{devices.Camera, "ManyCam Virtual Webcam", "ManyCam"},
	{devices.Camera, "ManyCam Video Source", "ManyCam"},
	{devices.Camera, "SplitCam Video Driver", "SplitCam"},
	{devices.Camera, "XSplit VCam", "XSplit VCam"},
	{devices.Camera, "XSplit Broadcaster", "XSplit VCam"},
	{devices.Camera, "Snap Camera", "Snap Camera"},
	{devices.Camera, "e2eSoft VCam", "e2eSoft VCam"},
	{devices.Camera, "VCam", "e2eSoft VCam"},
	{devices.Camera, "DroidCam Source 3", "DroidCam"},
	{devices.Camera, "DroidCam Video", "DroidCam"},
	{devices.Camera, "Camo", "Camo"},
	{devices.Camera, "Reincubate Camo", "Camo"},
	{devices.Camera, "EpocCam Camera", "EpocCam"},
	{devices.Camera, "Kinoni EpocCam", "EpocCam"},
	{devices.Camera, "Iriun Webcam", "Iriun"},
	{devices.Camera, "mmhmm Camera", "mmhmm"},
	{devices.Camera, "Airtime Camera", "mmhmm"},
	{devices.Camera, "Avatarify", "Avatarify"},
	{devices.Camera, "avatarify (platform:v4l2loopback-000)", "Avatarify"},
	{devices.Camera, "CamTwist", "CamTwist"},
	{devices.Camera, "CamTwist (2VUY)", "CamTwist"},
	{devices.Camera, "Unity Video Capture", "Unity Video Capture"},
	{devices.Camera, "Unity Video Capture #2", "Unity Video Capture"},
	{devices.Camera, "NDI Webcam Video 1", "NDI Webcam"},
	{devices.Camera, "NewTek NDI Video", "NDI Webcam"},
	{devices.Camera, "vMix Video", "vMix"},
	{devices.Camera, "vMix Video YUY2", "vMix"},
	{devices.Camera, "Telestream Wirecast", "Wirecast"},
	{devices.Camera, "Wirecast Virtual Camera", "Wirecast"},
	{devices.Camera, "AlterCam Virtual Camera", "AlterCam"},
	{devices.Camera, "CyberLink YouCam 10", "YouCam"},
	{devices.Camera, "Personify ChromaCam", "ChromaCam"},
	{devices.Camera, "ChromaCam", "ChromaCam"},
	{devices.Camera, "Camera (NVIDIA Broadcast)", "NVIDIA Broadcast"},
	{devices.Camera, "FaceRig Virtual Camera", "FaceRig / Animaze"},
	{devices.Camera, "Animaze Virtual Camera", "FaceRig / Animaze"},
	{devices.Camera, "Dummy video device (0x0000)", "v4l2loopback"},
	{devices.Camera, "Dummy video device (0x0001)", "v4l2loopback"},
	{devices.Camera, "VirtualBox Webcam - Integrated Camera", "VirtualBox"},
	{devices.Camera, "Elgato Virtual Camera", `name contains "virtual"`},
	{devices.Camera, "Windows Virtual Camera", `name contains "virtual"`},
	{devices.Camera, "VMware Virtual USB Video Device", `name contains "virtual"`},
	{devices.Camera, "VirtualCam", `name contains "virtual"`},
	{devices.Camera, "DeepFace VIRTUAL cam", `name contains "virtual"`},
	{devices.Camera, "*OBS*", "OBS Studio"},

	{devices.Microphone, "VoiceMeeter Output (VB-Audio VoiceMeeter VAIO)", "VoiceMeeter"},
	{devices.Microphone, "Voicemeeter Out B1 (VB-Audio Voicemeeter VAIO)", "VoiceMeeter"},
	{devices.Microphone, "CABLE Output (VB-Audio Virtual Cable)", "VB-Cable"},
	{devices.Microphone, "Default - CABLE Output (VB-Audio Virtual Cable)", "VB-Cable"},
	{devices.Microphone, "Hi-Fi Cable Output (VB-Audio Hi-Fi Cable)", "VB-Cable"},
	{devices.Microphone, "VB-Cable", "VB-Cable"},
	{devices.Microphone, "BlackHole 2ch", "BlackHole"},
	{devices.Microphone, "BlackHole 16ch (Virtual)", "BlackHole"},
	{devices.Microphone, "Loopback Audio", "Loopback"},
	{devices.Microphone, "Loopback Audio 2", "Loopback"},
	{devices.Microphone, "Microphone (Voicemod Virtual Audio Device (WDM))", "Voicemod"},
	{devices.Microphone, "Soundflower (2ch)", "Soundflower"},
	{devices.Microphone, "Stereo Mix (Realtek(R) Audio)", "Stereo Mix"},
	{devices.Microphone, "Monitor of Built-in Audio Analog Stereo", "monitor source"},
	{devices.Microphone, "Line 1 (Virtual Audio Cable)", `name contains "virtual"`},
	{devices.Microphone, "DroidCam Virtual Audio", `name contains "virtual"`},
	{devices.Microphone, "Microphone (Virtual Desktop Audio)", `name contains "virtual"`},
}

// TestMatchPositives checks every listed product against realistic
// labels, and that every product in the table has at least one.
func TestMatchPositives(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range positives {
		t.Run(tc.label, func(t *testing.T) {
			p, ok := devices.Match(tc.kind, tc.label)
			if !ok || p.Name != tc.product {
				t.Fatalf("Match(%v, %q) = %q, %v; want %q", tc.kind, tc.label, p.Name, ok, tc.product)
			}
			covered[p.Kind.String()+"/"+p.Name] = true
		})
	}
	for _, p := range devices.Products() {
		if !covered[p.Kind.String()+"/"+p.Name] {
			t.Errorf("product %s %q has no positive test label", p.Kind, p.Name)
		}
	}
}

// negatives are real cameras and microphones, several chosen to sit close
// to a pattern (OBSBOT vs OBS, Camera vs Camo, Snapdragon vs Snap,
// Obscura vs OBS, Cable vs CABLE Output).
var negatives = []struct {
	kind  devices.DeviceKind
	label string
}{
	{devices.Camera, "Integrated Camera"},
	{devices.Camera, "Integrated Camera (04f2:b6dd)"},
	{devices.Camera, "FaceTime HD Camera"},
	{devices.Camera, "FaceTime HD Camera (Built-in)"},
	{devices.Camera, "MacBook Pro Camera"},
	{devices.Camera, "Logitech BRIO"},
	{devices.Camera, "Logitech BRIO (046d:085e)"},
	{devices.Camera, "HD Pro Webcam C920"},
	{devices.Camera, "HD Pro Webcam C920 (046d:082d)"},
	{devices.Camera, "USB2.0 HD UVC WebCam"},
	{devices.Camera, "USB2.0 HD UVC WebCam (13d3:56a2)"},
	{devices.Camera, "HP TrueVision HD Camera (0408:5365)"},
	{devices.Camera, "Microsoft® LifeCam HD-3000"},
	{devices.Camera, "Surface Camera Front"},
	{devices.Camera, "Razer Kiyo"},
	{devices.Camera, "Insta360 Link"},
	{devices.Camera, "Elgato Facecam"},
	{devices.Camera, "Camera (2- Logitech StreamCam)"},
	{devices.Camera, "Integrated Webcam"},
	{devices.Camera, "Lenovo FHD Webcam"},
	{devices.Camera, "EMEET SmartCam C960"},
	{devices.Camera, "OBSBOT Tiny 4K Camera"},
	{devices.Camera, "Camera Obscura"},
	{devices.Camera, "Qualcomm Snapdragon Camera"},
	{devices.Camera, "Intel(R) RealSense(TM) Depth Camera 435 RGB"},
	{devices.Camera, "iPhone Camera"},
	{devices.Camera, "Camera"},
	{devices.Camera, "Loopback Audio"}, // a microphone product: never a camera
	{devices.Camera, ""},

	{devices.Microphone, "Microphone Array (Realtek(R) Audio)"},
	{devices.Microphone, "Default - Microphone Array (Realtek(R) Audio)"},
	{devices.Microphone, "Communications - Microphone Array (Intel® Smart Sound Technology for Digital Microphones)"},
	{devices.Microphone, "MacBook Pro Microphone"},
	{devices.Microphone, "AirPods Pro"},
	{devices.Microphone, "Headset Microphone (Jabra Evolve2 65)"},
	{devices.Microphone, "Yeti Stereo Microphone"},
	{devices.Microphone, "Microphone (HD Pro Webcam C920)"},
	{devices.Microphone, "Microphone (Logitech BRIO)"},
	{devices.Microphone, "Built-in Audio Analog Stereo"},
	{devices.Microphone, "Headset (WH-1000XM4 Hands-Free AG Audio)"},
	{devices.Microphone, "Microphone (USB Audio Device)"},
	{devices.Microphone, "Elgato Wave:3"},
	{devices.Microphone, "Microphone (Shure MV7)"},
	{devices.Microphone, "Line In (Cable Matters USB Audio)"},
	{devices.Microphone, "OBS Virtual Camera"[:3]}, // "OBS": a camera product, not a microphone
}

// TestMatchNegatives checks that common real devices match nothing.
func TestMatchNegatives(t *testing.T) {
	for _, tc := range negatives {
		t.Run(tc.kind.String()+"/"+tc.label, func(t *testing.T) {
			if p, ok := devices.Match(tc.kind, tc.label); ok {
				t.Fatalf("Match(%v, %q) = %q, want no match", tc.kind, tc.label, p.Name)
			}
		})
	}
}

// TestProductsTable checks the table itself: every row has a name, a
// kind, a note and patterns made of words, and Products returns a copy.
func TestProductsTable(t *testing.T) {
	ps := devices.Products()
	if len(ps) < 30 {
		t.Fatalf("%d products, want the full list", len(ps))
	}
	for _, p := range ps {
		if p.Name == "" || p.Note == "" || len(p.Patterns) == 0 || (p.Kind != devices.Camera && p.Kind != devices.Microphone) {
			t.Errorf("incomplete row %+v", p)
		}
		for _, pat := range p.Patterns {
			if strings.TrimSpace(pat) == "" || pat != strings.ToLower(pat) {
				t.Errorf("%s: pattern %q must be lower-case words", p.Name, pat)
			}
		}
	}
	ps[0].Patterns[0] = "changed"
	ps[0].Name = "changed"
	if again := devices.Products(); again[0].Name == "changed" || again[0].Patterns[0] == "changed" {
		t.Error("Products does not return a copy")
	}
}
