package signal_test

import (
	"math"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/audio"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/testdata/clips"
)

const talkSpan = 40 * time.Second

var (
	talkOnce    sync.Once
	talkResults []analysis.FrameResult
)

// talker returns the face results of the first 40 s of franck.mp4, a man
// talking to the camera.
func talker(t testing.TB) []analysis.FrameResult {
	talkOnce.Do(func() {
		facetest.Track(t, clips.Franck, talkSpan, func(r analysis.FrameResult) { talkResults = append(talkResults, r) })
	})
	if len(talkResults) == 0 {
		t.Fatal("no face results")
	}
	return talkResults
}

// voiceFor synthesises a 16 kHz voice whose loudness follows the real
// mouth opening, delayed by delay (positive: the sound comes late): seeded
// noise, amplitude-modulated. It stands in for speech that moves with the
// lips, the way the fixture corpus will.
func voiceFor(rs []analysis.FrameResult, delay time.Duration) *audio.PCM {
	const rate = 16000
	type pt struct {
		t time.Duration
		m float64
	}
	var ms []pt
	var vals []float64
	for _, r := range rs {
		if r.HasFace() {
			m := signal.MouthOpening(r.Face.Landmarks)
			ms = append(ms, pt{r.Time, m})
			vals = append(vals, m)
		}
	}
	sort.Float64s(vals)
	closed := vals[len(vals)/5] // the mouth's resting gap
	rng := rand.New(rand.NewSource(1))
	n := int(talkSpan.Seconds() * rate)
	p := &audio.PCM{Rate: rate, Samples: make([]float32, n)}
	j := 0
	for i := 0; i < n; i++ {
		t := time.Duration(i)*time.Second/rate - delay
		for j+1 < len(ms) && ms[j+1].t <= t {
			j++
		}
		amp := 0.002 // room noise
		if t >= 0 && j+1 < len(ms) {
			// Linear between frames: a sample-and-hold would delay the
			// voice by half a frame (21 ms at 24 fps).
			w := math.Min(1, float64(t-ms[j].t)/float64(ms[j+1].t-ms[j].t))
			m := ms[j].m + (ms[j+1].m-ms[j].m)*w
			amp += 2 * math.Max(0, m-closed)
		}
		p.Samples[i] = float32(math.Max(-1, math.Min(1, amp*rng.NormFloat64())))
	}
	return p
}

func TestLipSyncFindsTheOffset(t *testing.T) {
	rs := talker(t)
	tests := []struct {
		name      string
		delay     time.Duration // positive: sound late
		wantScore func(float64) bool
	}{
		{"in sync", 0, func(v float64) bool { return v == 0 }},
		{"sound 400 ms late, a swap pipeline's delay", 400 * time.Millisecond, func(v float64) bool { return v == 1 }},
		{"sound 200 ms early", -200 * time.Millisecond, func(v float64) bool { return v >= 0.7 }},
		{"sound 80 ms late, natural", 80 * time.Millisecond, func(v float64) bool { return v == 0 }},
		{"sound 1.5 s late, coarse search", 1500 * time.Millisecond, func(v float64) bool { return v == 1 }},
	}
	var errs []float64
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := signal.NewLipSync(voiceFor(rs, tt.delay), signal.LipSyncConfig{})
			for _, r := range rs {
				l.Observe(r)
			}
			for _, end := range []time.Duration{16 * time.Second, 28 * time.Second, talkSpan} {
				s := l.Score(end)
				if !s.Valid {
					t.Fatalf("window to %v invalid: %v (metrics %v)", end, s.Reasons, s.Metrics)
				}
				want := -float64(tt.delay.Milliseconds())
				got := s.Metrics["offset_ms"]
				errs = append(errs, math.Abs(got-want))
				t.Logf("window to %v: offset %+.0f ms (want %+.0f), confidence %.2f, rival %.2f, score %.2f: %s",
					end, got, want, s.Metrics["confidence"], s.Metrics["rival"], s.Value, s.Reasons[0])
				if math.Abs(got-want) > 40 {
					t.Errorf("offset %+.0f ms, want %+.0f ± 40", got, want)
				}
				if !tt.wantScore(s.Value) {
					t.Errorf("score %.2f", s.Value)
				}
			}
		})
	}
	sort.Float64s(errs)
	t.Logf("median offset error %.0f ms over %d windows", errs[len(errs)/2], len(errs))
}

// In a live call the voice arrives in 20 ms packets alongside the frames
// and windows are scored as they close; the offsets must match the ones
// found when the whole recording is known.
func TestLiveLipSyncMatchesFile(t *testing.T) {
	rs := talker(t)
	const delay = 400 * time.Millisecond
	pcm := voiceFor(rs, delay)
	file := signal.NewLipSync(pcm, signal.LipSyncConfig{})
	live := signal.NewLiveLipSync(pcm.Rate, signal.LipSyncConfig{})
	if s := live.Score(time.Second); s.Valid || len(s.Reasons) == 0 || s.Reasons[0] != "no audio" {
		t.Fatalf("before any audio: valid %v, reasons %v; want invalid with \"no audio\"", s.Valid, s.Reasons)
	}
	packet := pcm.Rate / 50
	fed := 0
	next := 16 * time.Second
	compared := 0
	for _, r := range rs {
		file.Observe(r)
		live.Observe(r)
		// The voice of this frame's time has arrived (and a packet more).
		for want := int((r.Time.Seconds() + 0.02) * float64(pcm.Rate)); fed < want && fed < len(pcm.Samples); fed += packet {
			live.PushAudio(pcm.Samples[fed:min(fed+packet, len(pcm.Samples))])
		}
		if r.Time < next {
			continue
		}
		// A live window is scored as soon as it closes; the file score of
		// the same window is the reference.
		lf, ll := file.Score(next), live.Score(next)
		next += 4 * time.Second
		if !ll.Valid {
			t.Fatalf("live window to %v invalid: %v", r.Time, ll.Reasons)
		}
		compared++
		got, want := ll.Metrics["offset_ms"], lf.Metrics["offset_ms"]
		t.Logf("window to %v: live %+.0f ms (confidence %.2f, score %.2f), file %+.0f ms (score %.2f)",
			ll.End, got, ll.Metrics["confidence"], ll.Value, want, lf.Value)
		if math.Abs(got+float64(delay.Milliseconds())) > 40 {
			t.Errorf("live offset %+.0f ms, want %+d ± 40", got, -delay.Milliseconds())
		}
		if ll.Value < 0.9 {
			t.Errorf("live score %.2f for a 400 ms delay, want ≥ 0.9", ll.Value)
		}
	}
	if compared < 5 {
		t.Fatalf("compared %d windows, want ≥ 5", compared)
	}
}

func TestLipSyncWithoutUsableAudio(t *testing.T) {
	rs := talker(t)
	feed := func(l *signal.LipSync) signal.Score {
		for _, r := range rs {
			l.Observe(r)
		}
		return l.Score(talkSpan)
	}
	if s := feed(signal.NewLipSync(nil, signal.LipSyncConfig{})); s.Valid || s.Value != 0 || !strings.Contains(s.Reasons[0], "no audio") {
		t.Errorf("no audio: %+v", s)
	}
	silent := &audio.PCM{Rate: 16000, Samples: make([]float32, int(talkSpan.Seconds()*16000))}
	if s := feed(signal.NewLipSync(silent, signal.LipSyncConfig{})); s.Valid || s.Value != 0 {
		t.Errorf("silent audio: %+v", s)
	}
}

// TestSpeechWithAStillMouth: a voice while the face's mouth never moves
// (a frozen or pasted face, or someone else speaking) scores on its own.
func TestSpeechWithAStillMouth(t *testing.T) {
	rs := talker(t)
	l := signal.NewLipSync(voiceFor(rs, 0), signal.LipSyncConfig{})
	var frozen []analysis.Point
	for _, r := range rs {
		if r.HasFace() {
			if frozen == nil {
				frozen = r.Face.Landmarks
			}
			still := *r.Face
			still.Landmarks = frozen
			r.Face = &still
		}
		l.Observe(r)
	}
	s := l.Score(talkSpan)
	if !s.Valid || s.Value < 0.7 {
		t.Errorf("still mouth with speech: %+v", s)
	}
}

// BenchmarkLipSyncScore is one 8 s window scored against 40 s of audio
// with the full ±2.5 s lag search.
func BenchmarkLipSyncScore(b *testing.B) {
	rs := talker(b)
	l := signal.NewLipSync(voiceFor(rs, 400*time.Millisecond), signal.LipSyncConfig{})
	for _, r := range rs {
		l.Observe(r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Score(talkSpan)
	}
}
