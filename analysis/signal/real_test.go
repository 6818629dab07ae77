package signal_test

import (
	"os"
	"testing"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/internal/matleak"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestMain(m *testing.M) {
	code := matleak.Run(m)
	facetest.Close()
	os.Exit(code)
}

// TestBlinkOnRealClips checks the blink detector against blinks annotated
// by eye on the clips' eye region, frame by frame (docs/DETECTION.md):
// cap12 blinks at frame 640; cap13 at 98 (flowing into a downward gaze:
// a known miss) and 426. Every detection must be an annotated blink, and
// the two clean ones must be found.
func TestBlinkOnRealClips(t *testing.T) {
	annotated := map[string][]int{clips.Cap12: {640}, clips.Cap13: {98, 426}}
	mustFind := map[string][]int{clips.Cap12: {640}, clips.Cap13: {426}}
	near := func(a, b int) bool { return a-b <= 3 && b-a <= 3 }
	for _, clip := range []string{clips.Cap12, clips.Cap13} {
		t.Run(clip, func(t *testing.T) {
			b := signal.NewBlink(signal.BlinkConfig{})
			var last analysis.FrameResult
			facetest.Track(t, clip, 0, func(r analysis.FrameResult) {
				if err := b.Observe(r); err != nil {
					t.Fatal(err)
				}
				last = r
			})
			s := b.Score(last.Time)
			t.Logf("%s: %v blinks in %.0f s of face, %.1f per minute, score %.2f, frames %v",
				clip, s.Metrics["blinks"], s.Metrics["face_seconds"], s.Metrics["per_minute"], s.Value, s.Frames)
			if !s.Valid {
				t.Fatalf("not valid: %v", s.Reasons)
			}
			for _, f := range s.Frames {
				ok := false
				for _, a := range annotated[clip] {
					ok = ok || near(f, a)
				}
				if !ok {
					t.Errorf("blink at frame %d is not an annotated blink %v", f, annotated[clip])
				}
			}
			for _, a := range mustFind[clip] {
				ok := false
				for _, f := range s.Frames {
					ok = ok || near(f, a)
				}
				if !ok {
					t.Errorf("annotated blink at frame %d not found (got %v)", a, s.Frames)
				}
			}
		})
	}
}
