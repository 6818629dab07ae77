package devices_test

import (
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/devices"
)

func TestCompareReceived(t *testing.T) {
	hd := devices.Settings{Width: 1280, Height: 720, FrameRate: 30}
	// at makes a Received of w x h at fps over span.
	at := func(w, h int, fps float64, span time.Duration) devices.Received {
		return devices.Received{Width: w, Height: h, Frames: int(fps*span.Seconds()) + 1, Span: span}
	}
	const long = 20 * time.Second
	for _, tc := range []struct {
		name string
		s    devices.Settings
		got  devices.Received
		want devices.Kind // "" for no finding
	}{
		{"as-reported", hd, at(1280, 720, 30, long), ""},
		{"chrome-default-360p", hd, at(640, 360, 30, long), ""},
		{"bandwidth-downscale-180p", hd, at(320, 180, 30, long), ""},
		{"odd-rounding-426x240", hd, at(426, 240, 30, long), ""},
		{"h264-crop-to-16", hd, at(640, 352, 30, long), ""},
		{"encoder-padding", hd, at(1280, 722, 30, long), ""},
		{"phone-rotated", hd, at(720, 1280, 30, long), ""},
		{"phone-rotated-downscaled", devices.Settings{Width: 1080, Height: 1920, FrameRate: 30}, at(640, 360, 30, long), ""},
		{"tiny-cropped-thumbnail", hd, at(160, 80, 30, long), ""},
		{"4:3-instead-of-16:9", hd, at(640, 480, 30, long), devices.KindAspectRatioMismatch},
		{"16:10-instead-of-16:9", hd, at(1280, 800, 30, long), devices.KindAspectRatioMismatch},
		{"square-instead-of-16:9", hd, at(720, 720, 30, long), devices.KindAspectRatioMismatch},
		{"1080p-from-720p-camera", hd, at(1920, 1080, 30, long), devices.KindFrameLargerThanReported},
		{"slightly-wider", hd, at(1300, 720, 30, long), devices.KindFrameLargerThanReported},
		{"low-light-halving", hd, at(1280, 720, 15, long), ""},
		{"adaptation-20fps", hd, at(640, 360, 20, long), ""},
		{"jitter-31fps", hd, at(1280, 720, 31, long), ""},
		{"face-swap-9fps", hd, at(1280, 720, 9, long), devices.KindFrameRateLow},
		{"slow-but-short", hd, at(1280, 720, 9, 5*time.Second), ""},
		{"60fps-from-30fps-camera", hd, at(1280, 720, 60, long), devices.KindFrameRateHigh},
		{"no-reported-rate", devices.Settings{Width: 1280, Height: 720}, at(1280, 720, 5, long), ""},
		{"no-reported-size", devices.Settings{FrameRate: 30}, at(640, 480, 30, long), ""},
		{"nothing-received", hd, devices.Received{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := devices.CompareReceived(tc.s, tc.got)
			switch {
			case tc.want == "" && len(got) != 0:
				t.Fatalf("got %+v, want no finding", got)
			case tc.want != "" && (len(got) != 1 || got[0].Kind != tc.want):
				t.Fatalf("got %v, want one %s", kinds(got), tc.want)
			}
			for _, f := range got {
				if f.Strength <= 0 || f.Strength > 1 || !strings.HasSuffix(f.Reason, ".") {
					t.Errorf("bad finding %+v", f)
				}
			}
		})
	}
}

// TestCompareReceivedBoth checks that a wrong shape and a wrong rate are
// both reported, and the reason's wording.
func TestCompareReceivedBoth(t *testing.T) {
	got := devices.CompareReceived(devices.Settings{Width: 1280, Height: 720, FrameRate: 30},
		devices.Received{Width: 640, Height: 480, Frames: 201, Span: 20 * time.Second})
	if len(got) != 2 || got[0].Kind != devices.KindAspectRatioMismatch || got[1].Kind != devices.KindFrameRateLow {
		t.Fatalf("got %v", kinds(got))
	}
	if want := "The browser reports the camera at 1280x720 (16:9) but the video arrives at 640x480 (4:3)."; !strings.HasPrefix(got[0].Reason, want) {
		t.Errorf("reason %q, want prefix %q", got[0].Reason, want)
	}
	if want := "The camera reports 30 fps but video arrived at 10.0 fps over 20s."; !strings.HasPrefix(got[1].Reason, want) {
		t.Errorf("reason %q, want prefix %q", got[1].Reason, want)
	}
}

func TestReceivedFrameRate(t *testing.T) {
	for _, tc := range []struct {
		r    devices.Received
		want float64
	}{
		{devices.Received{Frames: 301, Span: 10 * time.Second}, 30},
		{devices.Received{Frames: 1, Span: time.Second}, 0},
		{devices.Received{Frames: 100}, 0},
		{devices.Received{Frames: 100, Span: -time.Second}, 0},
	} {
		if got := tc.r.FrameRate(); got != tc.want {
			t.Errorf("%+v.FrameRate() = %v, want %v", tc.r, got, tc.want)
		}
	}
}
