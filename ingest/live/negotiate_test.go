package live

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/server"
)

// browserOffer is an offer like a browser's: VP8 and Opus, send only.
func browserOffer(t testing.TB) string {
	m := &webrtc.MediaEngine{}
	m.RegisterDefaultCodecs()
	pc, err := webrtc.NewAPI(webrtc.WithMediaEngine(m)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	}
	o, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	return o.SDP
}

func TestNegotiate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pc, answer, err := negotiate(ctx, browserOffer(t))
	if err != nil {
		t.Fatal(err)
	}
	pc.Close()
	for _, want := range []string{"VP8/90000", "opus/48000/2", "a=candidate", "a=recvonly"} {
		if !strings.Contains(answer, want) {
			t.Errorf("answer lacks %q", want)
		}
	}
	for _, bad := range []string{"", "v=0\r\n", strings.NewReplacer("VP8", "XYZ", "H264", "XYZ").Replace(browserOffer(t))} {
		if _, _, err := negotiate(ctx, bad); !errors.As(err, new(*server.OfferError)) {
			t.Errorf("offer %.40q: error %v, want an OfferError", bad, err)
		}
	}
}

// FuzzNegotiate: whatever the offer, an answer or an OfferError, never a
// panic, and no peer left open.
func FuzzNegotiate(f *testing.F) {
	f.Add(browserOffer(f))
	f.Add("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n")
	f.Fuzz(func(t *testing.T, offer string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pc, _, err := negotiate(ctx, offer)
		if err == nil {
			pc.Close()
			return
		}
		if !errors.As(err, new(*server.OfferError)) && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// Sender reports put the voice where capture time says: here the voice's
// first sample was captured 120 ms after the first frame.
func TestCaptureOffsetFromSenderReports(t *testing.T) {
	var s avSync
	s.setFirst(trackVideo, 4_000_000_000) // near the 32-bit wrap
	s.setFirst(trackAudio, 1000)
	if _, ok := s.captureOffset(); ok {
		t.Fatal("an offset without reports")
	}
	// Both reports describe wall time 100.0 s; the video report's RTP time
	// is 1 s after the first frame (wrapping), the audio's 880 ms after
	// the first sample.
	s.report(trackVideo, &rtcp.SenderReport{NTPTime: 100 << 32, RTPTime: 4_000_000_000 + 90000})
	s.report(trackAudio, &rtcp.SenderReport{NTPTime: 100 << 32, RTPTime: 1000 + 42240})
	off, ok := s.captureOffset()
	if !ok || (off-120*time.Millisecond).Abs() > time.Millisecond {
		t.Fatalf("offset %v (%v), want 120 ms", off, ok)
	}
	if _, ok := s.captureOffset(); ok {
		t.Fatal("the offset was given twice")
	}
}

func TestVoiceShift(t *testing.T) {
	var q voiceQueue
	q.push([]float32{1, 2, 3})
	q.shift(-2)
	q.push([]float32{4, 5})
	var got []float32
	q.drain(func(p []float32) { got = append(got, p...) })
	if len(got) != 3 || got[0] != 3 || got[2] != 5 {
		t.Fatalf("after dropping 2: %v, want [3 4 5]", got)
	}
	q.shift(3)
	q.push([]float32{6})
	got = nil
	q.drain(func(p []float32) { got = append(got, p...) })
	if len(got) != 4 || got[0] != 0 || got[3] != 6 {
		t.Fatalf("after 3 of silence: %v, want [0 0 0 6]", got)
	}
}

// When analysis takes nothing, the slot keeps the newest frame and every
// displaced one is closed and counted: ingest never waits.
func TestSlotKeepsTheNewestFrame(t *testing.T) {
	c := &Call{slot: make(chan analysis.Frame, 1)}
	for i := 0; i < 10; i++ {
		c.offer(analysis.Frame{Index: i, Image: gocv.NewMatWithSize(32, 32, gocv.MatTypeCV8UC3)})
	}
	if got := c.dropped.Load(); got != 9 {
		t.Fatalf("dropped %d of 10, want 9", got)
	}
	f := <-c.slot
	defer f.Close()
	if f.Index != 9 {
		t.Fatalf("the slot holds frame %d, want the newest (9)", f.Index)
	}
}
