package devices

import (
	"fmt"
	"math"
	"time"
)

// Thresholds for CompareReceived.
const (
	// AspectTolerance is the relative difference between the reported and
	// received width/height ratios still taken as the same shape. Browsers
	// keep the shape when they scale down, but round each side to whole
	// (often even) pixels, and hardware H.264 encoders crop to multiples
	// of 16 (640x360 can arrive as 640x352: 2.3%). 16:10 against 16:9 is
	// 11% and 4:3 against 16:9 is 25%, so 5% separates them with room.
	AspectTolerance = 0.05

	// MinAspectSide is the smallest received side for which the shape is
	// compared: below it, rounding to even or 16-pixel sides moves the
	// ratio by more than AspectTolerance (160x90 cropped to 160x80 is
	// 12.5%).
	MinAspectSide = 120

	// SizeSlack is how many pixels, beyond 1%, a received side may exceed
	// the reported one (encoder padding to even sizes).
	SizeSlack = 2

	// MinRateSpan and MinRateFrames are the least evidence for a frame
	// rate finding: 10 s of video, so a brief stall or burst is not
	// "sustained".
	MinRateSpan   = 10 * time.Second
	MinRateFrames = 20

	// LowRateRatio: measured below 40% of the reported rate is too slow.
	// Ordinary causes stay above it: webcams in dim light halve their rate
	// to lengthen exposure (30 -> 15 fps, 50%), and Chrome's CPU and
	// bandwidth adaptation lowers it in steps of about a third. A face
	// swapper on a laptop GPU often manages 5-12 fps behind a virtual
	// camera that still reports 30. Face swaps that keep 15-25 fps are
	// deliberately not flagged here: the cost of a false accusation is
	// higher than a missed weak hint.
	LowRateRatio = 0.4

	// HighRateRatio: measured above 125% of the reported rate (plus 1 fps
	// of jitter) is too fast. A browser cannot send frames its camera did
	// not produce; RTP timestamps jitter by a few percent, not 25.
	HighRateRatio = 1.25
)

// Received is what actually arrives from the candidate over a span of the
// call, as measured by the receiver.
type Received struct {
	Width, Height int // decoded frame size over the span (0: unknown)
	// Frames is the number of frames received over Span, and Span the
	// time from the first to the last of them (from RTP or capture
	// timestamps, not arrival times, which bunch up).
	Frames int
	Span   time.Duration
}

// FrameRate returns the measured frame rate, or 0 when there is too
// little to measure.
func (r Received) FrameRate() float64 {
	if r.Frames < 2 || r.Span <= 0 {
		return 0
	}
	return float64(r.Frames-1) / r.Span.Seconds()
}

// CompareReceived compares a video track's reported settings with what
// arrives, and returns findings when they cannot both be true: a different
// shape (aspect ratio), a picture larger than the camera reports, or a
// frame rate sustained far below or above it. A smaller picture of the
// same shape and ordinary rate variation are what browsers do under
// bandwidth and CPU pressure, and are not reported. A picture rotated by
// 90° (phones send their orientation) counts as the same shape. Fields
// that are zero on either side are not compared.
func CompareReceived(s Settings, got Received) []Finding {
	var out []Finding
	rw, rh, gw, gh := s.Width, s.Height, got.Width, got.Height
	if rw > 0 && rh > 0 && gw > 0 && gh > 0 {
		if (rw > rh) != (gw > gh) && rw != rh && gw != gh {
			gw, gh = gh, gw // rotated: compare in the reported orientation
		}
		if f, ok := compareShape(rw, rh, gw, gh); ok {
			out = append(out, f)
		} else if f, ok := compareSize(rw, rh, gw, gh); ok {
			out = append(out, f)
		}
	}
	if f, ok := compareRate(s.FrameRate, got); ok {
		out = append(out, f)
	}
	return out
}

func compareShape(rw, rh, gw, gh int) (Finding, bool) {
	if min(gw, gh) < MinAspectSide {
		return Finding{}, false
	}
	reported, received := float64(rw)/float64(rh), float64(gw)/float64(gh)
	if math.Abs(received-reported)/reported <= AspectTolerance {
		return Finding{}, false
	}
	return Finding{
		Kind: KindAspectRatioMismatch, Strength: StrengthAspectRatioMismatch,
		Reason: fmt.Sprintf("The browser reports the camera at %dx%d (%s) but the video arrives at %dx%d (%s). "+
			"Browsers shrink video under load but keep its shape, so the picture is probably not coming from "+
			"the reported camera: ask them to switch to their built-in camera and pass a hand in front of their face.",
			rw, rh, ratio(rw, rh), gw, gh, ratio(gw, gh)),
	}, true
}

func compareSize(rw, rh, gw, gh int) (Finding, bool) {
	over := func(got, reported int) bool { return float64(got) > float64(reported)*1.01+SizeSlack }
	if !over(gw, rw) && !over(gh, rh) {
		return Finding{}, false
	}
	return Finding{
		Kind: KindFrameLargerThanReported, Strength: StrengthFrameLargerThanReported,
		Reason: fmt.Sprintf("The browser reports the camera at %dx%d but the video arrives larger, at %dx%d. "+
			"Browsers only ever shrink video, so the picture is probably not coming from the reported camera: "+
			"ask them to switch to their built-in camera and pass a hand in front of their face.", rw, rh, gw, gh),
	}, true
}

func compareRate(reported float64, got Received) (Finding, bool) {
	measured := got.FrameRate()
	if reported <= 0 || measured <= 0 || got.Span < MinRateSpan || got.Frames < MinRateFrames {
		return Finding{}, false
	}
	span := got.Span.Round(time.Second)
	switch {
	case measured < reported*LowRateRatio:
		return Finding{
			Kind: KindFrameRateLow, Strength: StrengthFrameRateLow,
			Reason: fmt.Sprintf("The camera reports %.0f fps but video arrived at %.1f fps over %s. "+
				"Face-swap software often cannot keep up in real time, but dim light, a busy computer or a poor "+
				"network also lower the frame rate: check their lighting and connection, then ask them to turn "+
				"their head and pass a hand in front of their face.", reported, measured, span),
		}, true
	case measured > reported*HighRateRatio+1:
		return Finding{
			Kind: KindFrameRateHigh, Strength: StrengthFrameRateHigh,
			Reason: fmt.Sprintf("The camera reports %.0f fps but video arrived at %.1f fps over %s, faster than "+
				"the camera can deliver. The picture is probably not coming from the reported camera: ask them to "+
				"switch to their built-in camera and pass a hand in front of their face.", reported, measured, span),
		}, true
	}
	return Finding{}, false
}

// ratio names the shape of w x h: "16:9" when it reduces to small
// numbers (8:5 is said "16:10"), "1.78:1" otherwise.
func ratio(w, h int) string {
	a, b := w, h
	for b != 0 {
		a, b = b, a%b
	}
	if rw, rh := w/a, h/a; rw == 8 && rh == 5 {
		return "16:10"
	} else if rw <= 32 && rh <= 32 {
		return fmt.Sprintf("%d:%d", rw, rh)
	}
	return fmt.Sprintf("%.2f:1", float64(w)/float64(h))
}
