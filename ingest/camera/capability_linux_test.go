package camera

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// rawCapability lays out a struct v4l2_capability in the machine's byte
// order; strings longer than their field are cut without a NUL, as a
// driver that fills the field would leave them.
func rawCapability(driver, card, bus string, version, capabilities, deviceCaps uint32) []byte {
	b := make([]byte, capabilitySize)
	copy(b[offDriver:offCard], driver)
	copy(b[offCard:offBusInfo], card)
	copy(b[offBusInfo:offVersion], bus)
	ne := binary.NativeEndian
	ne.PutUint32(b[offVersion:], version)
	ne.PutUint32(b[offCapabilities:], capabilities)
	ne.PutUint32(b[offDeviceCaps:], deviceCaps)
	return b
}

func TestParseCapability(t *testing.T) {
	full32 := strings.Repeat("x", 32)
	tests := []struct {
		name    string
		in      []byte
		want    capability
		capture bool
	}{
		{"uvc capture node", rawCapability("uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8", 0x060800, 0x84a00001, 0x04200001),
			capability{"uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8", 0x060800, 0x84a00001, 0x04200001}, true},
		{"uvc metadata node", rawCapability("uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8", 0x060800, 0x84a00001, 0x04a00000),
			capability{"uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8", 0x060800, 0x84a00001, 0x04a00000}, false},
		{"no device caps: capabilities count", rawCapability("old", "Old", "pci", 0, 0x05000001, 0),
			capability{"old", "Old", "pci", 0, 0x05000001, 0}, true},
		{"no device caps: device_caps ignored", rawCapability("old", "Old", "pci", 0, 0x05000002, 0x1),
			capability{"old", "Old", "pci", 0, 0x05000002, 0x1}, false},
		{"multi-planar", rawCapability("rkisp1", "rkisp1", "platform:rkisp1", 0, 0x84201000, 0x04201000),
			capability{"rkisp1", "rkisp1", "platform:rkisp1", 0, 0x84201000, 0x04201000}, true},
		{"v4l2loopback idle with exclusive caps", rawCapability("v4l2 loopback", "OBS Virtual Camera", "platform:v4l2loopback-000", 0, 0x85000002, 0x05000002),
			capability{"v4l2 loopback", "OBS Virtual Camera", "platform:v4l2loopback-000", 0, 0x85000002, 0x05000002}, false},
		{"full field without NUL", rawCapability("driver-name-16ch", full32, full32, 0, 0, 0),
			capability{driver: "driver-name-16ch", card: full32, busInfo: full32}, false},
		{"text after the NUL is ignored", rawCapability("uvc\x00junk", "Cam\x00era", "", 0, 0, 0),
			capability{driver: "uvc", card: "Cam"}, false},
		{"control, format and invalid bytes", rawCapability("a\tb\x1b", "\u202eOBS\u200b  Virtual\nCamera ", "\xff\xfeusb", 0, 0, 0),
			capability{driver: "a b", card: "OBS Virtual Camera", busInfo: "\ufffd\ufffdusb"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCapability(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if got.canCapture() != tt.capture {
				t.Fatalf("canCapture %v, want %v", got.canCapture(), tt.capture)
			}
		})
	}
}

func TestParseCapabilityWrongSize(t *testing.T) {
	for _, n := range []int{0, 1, 103, 105, 4096} {
		if _, err := parseCapability(make([]byte, n)); !errors.Is(err, errCapabilitySize) {
			t.Errorf("%d bytes: got %v, want errCapabilitySize", n, err)
		}
	}
}

// TestQueryCapabilityNotADevice issues the real ioctl on files that are
// not V4L2 devices: a clear error, no crash.
func TestQueryCapabilityNotADevice(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "video0")
	if err := os.WriteFile(file, make([]byte, 200), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want error
		text string
	}{
		{"regular file", file, unix.ENOTTY, "VIDIOC_QUERYCAP: not a V4L2 device"},
		{"directory", dir, unix.ENOTTY, "not a V4L2 device"},
		{"missing", filepath.Join(dir, "video9"), fs.ErrNotExist, "open: no such file or directory"},
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		tests = append(tests, struct {
			name string
			path string
			want error
			text string
		}{"character device that is not V4L2", "/dev/null", unix.ENOTTY, "not a V4L2 device"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := queryCapability(tt.path)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("got %v, want an error wrapping %v that says %q", err, tt.want, tt.text)
			}
			if b != nil {
				t.Fatalf("got %d bytes with the error", len(b))
			}
		})
	}
}

// FuzzParseCapability feeds arbitrary bytes to parseCapability. It must
// not panic; only exactly 104 bytes parse; the strings must be clean,
// within their fields and survive a round trip; and judging a camera built
// from the result must not panic and must explain any verdict.
func FuzzParseCapability(f *testing.F) {
	f.Add(rawCapability("uvcvideo", "Integrated Camera: Integrated C", "usb-0000:00:14.0-8", 0x060800, 0x84a00001, 0x04200001))
	f.Add(rawCapability("v4l2 loopback", "Dummy video device (0x0000)", "platform:v4l2loopback-000", 0, 0x85000003, 0x05000003))
	f.Add(rawCapability("akvcam", "AkVCam Virtual Camera", "platform:akvcam-000", 0, 0x84000001, 0x04000001))
	f.Add(rawCapability("\xff\x00", "\u202eOBS Virtual Camera", "\t\n", 0xffffffff, 0xffffffff, 0xffffffff))
	f.Add([]byte{})
	f.Add(make([]byte, 105))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseCapability(data)
		if len(data) != capabilitySize {
			if !errors.Is(err, errCapabilitySize) {
				t.Fatalf("%d bytes: got %v, want errCapabilitySize", len(data), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			s    string
			size int
		}{{c.driver, offCard - offDriver}, {c.card, offBusInfo - offCard}, {c.busInfo, offVersion - offBusInfo}} {
			checkClean(t, f.s, f.size)
		}
		want := c.capabilities
		if c.capabilities&capDeviceCaps != 0 {
			want = c.deviceCaps
		}
		if c.caps() != want {
			t.Fatalf("caps %#x, want %#x", c.caps(), want)
		}
		if fits(c) {
			back, err := parseCapability(rawCapability(c.driver, c.card, c.busInfo, c.version, c.capabilities, c.deviceCaps))
			if err != nil || back != c {
				t.Fatalf("round trip: got %+v, %v, want %+v", back, err, c)
			}
		}
		cam := Camera{Driver: c.driver, Card: c.card, BusInfo: c.busInfo, Name: c.card, Capture: c.canCapture()}
		judge(&cam, facts{})
		if cam.Virtual != (cam.Reason != "") {
			t.Fatalf("virtual %v with reason %q", cam.Virtual, cam.Reason)
		}
	})
}

func checkClean(t *testing.T, s string, size int) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%q is not valid UTF-8", s)
	}
	if n := utf8.RuneCountInString(s); n > size {
		t.Fatalf("%q has %d runes, field holds %d bytes", s, n, size)
	}
	if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Fatalf("%q has untrimmed or doubled spaces", s)
	}
	for _, r := range s {
		if r == 0 || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (unicode.IsSpace(r) && r != ' ') {
			t.Fatalf("%q contains %U", s, r)
		}
	}
	if cleanText(s) != s {
		t.Fatalf("cleanText(%q) = %q, not idempotent", s, cleanText(s))
	}
}

// fits reports whether c's strings fit their fields again (cleaning can
// lengthen invalid bytes into U+FFFD).
func fits(c capability) bool {
	return len(c.driver) <= offCard-offDriver && len(c.card) <= offBusInfo-offCard && len(c.busInfo) <= offVersion-offBusInfo
}
