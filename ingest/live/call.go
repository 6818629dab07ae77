package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/ingest/server"
)

// Config is what a call needs besides the offer.
type Config struct {
	// Dir is the recording folder; it must not hold a recording yet.
	Dir    string
	Models *face.Models
	// Detector names the face detector (face.Config.Detector).
	Detector string
	Params   fuse.Params
	// Signals in report order. LipSync (from signal.NewLiveLipSync at
	// AudioRate) and VirtualCamera must be among them: the call feeds the
	// voice and the device findings to them.
	Signals       []signal.Signal
	LipSync       *signal.LipSync
	VirtualCamera *signal.VirtualCamera
	// OnWindow and OnFrame, when set, are called from the analysis
	// goroutine (overlay, evidence); they must not block for long.
	OnWindow func(fuse.Window)
	OnFrame  func(analysis.FrameResult)
	// OnPicture, when set, sees every decoded frame that goes to analysis,
	// on the video reader goroutine, before analysis does (the overlay's
	// picture). It must not retain img and must return within a few
	// milliseconds, or the reader falls behind the network.
	OnPicture func(index int, img gocv.Mat)
	// OnEnd is called once, after the recording is finalised.
	OnEnd  func(Result)
	Logger *slog.Logger
}

// AudioRate is the rate of the voice the call feeds to lip-sync (Opus's).
const AudioRate = 48000

// Result is a finished call.
type Result struct {
	Dir      string
	Reason   string
	Windows  []fuse.Window
	Pipeline pipeline.Result
	Status   Status
	Manifest record.Manifest
	Err      error // the analysis's error, if it stopped early
}

// Call is one live call. Its methods are safe for concurrent use.
type Call struct {
	cfg    Config
	log    *slog.Logger
	pc     *webrtc.PeerConnection
	rec    *record.Recorder
	tl     *fuse.Timeline
	an     *face.Analyzer
	answer string

	ctx      context.Context
	cancel   context.CancelFunc
	readers  sync.WaitGroup
	analysis chan struct{} // closed when the analysis goroutine returns
	done     chan struct{} // closed when the peer is lost
	lostOnce sync.Once

	slot     chan analysis.Frame // newest decoded frame, capacity 1
	slotOnce sync.Once

	clock clock
	voice voiceQueue
	sync  avSync

	mu       sync.Mutex
	status   Status
	notes    []note
	windows  []fuse.Window
	pres     pipeline.Result
	anErr    error
	closeErr error
	closed   bool
	result   Result

	checked bool                   // received frames compared with the reported settings
	held    []analysis.FrameResult // frames waiting for their voice (analysis goroutine only)
	// arrivals[i%len] is when frame i's last packet arrived; latency holds
	// the newest arrival-to-analysed delays.
	arrivals [256]time.Time
	latency  []time.Duration

	dropped, decodeErrs, plis atomic.Int64
}

type note struct {
	reason string
	value  float64
}

// Start answers req's offer and starts recording and analysis. It returns
// once ICE gathering is complete, so the answer holds every candidate
// (WHIP without trickle). Offer problems are *server.OfferError.
func Start(ctx context.Context, cfg Config, req server.PublishRequest) (*Call, error) {
	if cfg.Models == nil || cfg.LipSync == nil || cfg.VirtualCamera == nil || len(cfg.Signals) == 0 {
		return nil, errors.New("live: incomplete configuration")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Call{cfg: cfg, log: log.With("session", req.SessionID, "take", req.Take),
		analysis: make(chan struct{}), done: make(chan struct{}), slot: make(chan analysis.Frame, 1)}
	c.status = Status{Session: req.SessionID, Recording: cfg.Dir, Started: time.Now().UTC(), State: "connecting", UserAgent: req.UserAgent}
	c.ctx, c.cancel = context.WithCancel(context.Background())

	pc, answer, err := negotiate(ctx, req.Offer)
	if err != nil {
		c.cancel()
		return nil, err
	}
	c.pc, c.answer = pc, answer
	fail := func(err error) (*Call, error) {
		c.cancel()
		pc.Close()
		if c.rec != nil {
			c.rec.Close("failed")
		}
		if c.an != nil {
			c.an.Close()
		}
		return nil, err
	}
	c.rec, err = record.Create(cfg.Dir, record.Config{SessionID: req.SessionID, VideoCodec: answerVideoCodec(answer), AudioCodec: "opus/48000/2"})
	if err != nil {
		return fail(fmt.Errorf("live: recording: %w", err))
	}
	c.an, err = face.NewAnalyzer(cfg.Models, face.Config{Detector: cfg.Detector})
	if err != nil {
		return fail(fmt.Errorf("live: face analyzer: %w", err))
	}
	c.tl = fuse.NewTimeline(cfg.Params, cfg.Signals...)
	c.tl.OnWindow = c.onWindow
	facts := req.Facts
	if len(facts) == 0 {
		// A WHIP client without the candidate page (OBS, a script) still
		// says what it is: its User-Agent is its only device fact.
		facts, _ = json.Marshal(map[string]string{"userAgent": req.UserAgent})
	}
	if err := c.SetDeviceFacts(facts); err != nil {
		c.log.Warn("device facts", "err", err)
	}

	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		c.setState(s.String())
		if s == webrtc.PeerConnectionStateFailed || s == webrtc.PeerConnectionStateClosed {
			c.lostOnce.Do(func() { close(c.done) })
		}
	})
	pc.OnTrack(c.onTrack)
	go c.analyse()
	return c, nil
}

// negotiate answers offer with a receive-only peer once ICE gathering is
// complete. Offer problems are *server.OfferError; on error nothing is
// left open.
func negotiate(ctx context.Context, offer string) (*webrtc.PeerConnection, string, error) {
	pc, err := newPeer()
	if err != nil {
		return nil, "", err
	}
	bad := func(err error) (*webrtc.PeerConnection, string, error) {
		pc.Close()
		return nil, "", &server.OfferError{Err: err}
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return bad(err)
	}
	ans, err := pc.CreateAnswer(nil)
	if err != nil {
		return bad(err)
	}
	if c := answerVideoCodec(ans.SDP); c != codecVP8 && c != codecH264 {
		return bad(errors.New("the offer has no VP8 or H.264 video; publish VP8 or H.264 (and Opus audio)"))
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(ans); err != nil {
		return bad(err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		pc.Close()
		return nil, "", fmt.Errorf("live: ICE gathering: %w", ctx.Err())
	}
	return pc, pc.LocalDescription().SDP, nil
}

// newPeer builds a receive-only peer for VP8 and Opus with pion's default
// interceptors (NACK, RTCP reports). No STUN or TURN server is contacted:
// host candidates reach the candidate on loopback and the LAN, and the
// product makes no network calls beyond the call itself.
func newPeer() (*webrtc.PeerConnection, error) {
	m := &webrtc.MediaEngine{}
	fb := []webrtc.RTCPFeedback{{Type: "goog-remb"}, {Type: "ccm", Parameter: "fir"}, {Type: "nack"}, {Type: "nack", Parameter: "pli"}}
	if err := m.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: fb},
		PayloadType:        96,
	}, webrtc.RTPCodecTypeVideo); err != nil {
		return nil, err
	}
	// H.264 after VP8, so a browser offering both sends VP8. Constrained
	// baseline, baseline, main and high: what OBS and hardware encoders
	// send; packetization-mode 1 (FU-A) as WebRTC requires.
	for i, profile := range []string{"42e01f", "42001f", "4d001f", "64001f"} {
		if err := m.RegisterCodec(webrtc.RTPCodecParameters{
			RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000, RTCPFeedback: fb,
				SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + profile},
			PayloadType: webrtc.PayloadType(102 + 2*i),
		}, webrtc.RTPCodecTypeVideo); err != nil {
			return nil, err
		}
	}
	if err := m.RegisterCodec(webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"},
		PayloadType:        111,
	}, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, err
	}
	se := webrtc.SettingEngine{}
	// Notice a vanished peer within seconds, not pion's default 30 s.
	se.SetICETimeouts(4*time.Second, 10*time.Second, 1*time.Second)
	api := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("live: peer: %w", err)
	}
	return pc, nil
}

// Answer is the SDP answer with every candidate.
func (c *Call) Answer() string { return c.answer }

// Done is closed when the peer is lost.
func (c *Call) Done() <-chan struct{} { return c.done }

// Status is a snapshot of the call.
func (c *Call) Status() any { return c.snapshot() }

// Snapshot returns the call's counters and latest verdict.
func (c *Call) Snapshot() Status { return c.snapshot() }

func (c *Call) snapshot() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.status
	s.Video.Dropped = c.dropped.Load() // the only place frames are dropped (analyse.go)
	s.Video.DecodeErrors = c.decodeErrs.Load()
	s.Video.KeyframeRequests = c.plis.Load()
	s.Findings = append([]Finding(nil), s.Findings...)
	if n := len(c.latency); n > 0 {
		l := slices.Clone(c.latency)
		slices.Sort(l)
		s.Video.LatencyMedianMS = float64(l[n/2].Microseconds()) / 1000
		s.Video.LatencyP95MS = float64(l[n*95/100].Microseconds()) / 1000
	}
	return s
}

func (c *Call) setState(st string) {
	c.mu.Lock()
	if c.status.State != "ended" {
		c.status.State = st
	}
	c.mu.Unlock()
}

// onWindow runs in the analysis goroutine.
func (c *Call) onWindow(w fuse.Window) {
	c.mu.Lock()
	c.windows = append(c.windows, w)
	c.status.Windows = len(c.windows)
	c.status.Risk, c.status.Level = w.Risk, string(w.Level)
	c.status.Reasons = append([]fuse.Reason(nil), w.Reasons...)
	c.mu.Unlock()
	if c.cfg.OnWindow != nil {
		c.cfg.OnWindow(w)
	}
}

// SetDeviceFacts records the candidate page's report and turns what it
// shows into virtual-camera findings.
func (c *Call) SetDeviceFacts(raw json.RawMessage) error {
	findings, err := assessFacts(raw)
	if err != nil {
		return err
	}
	if err := c.rec.SetDeviceFacts(raw); err != nil {
		c.log.Warn("device facts not recorded", "err", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status.Facts = raw
	c.status.Findings = nil
	for _, f := range findings {
		c.status.Findings = append(c.status.Findings, f)
		c.notes = append(c.notes, note{f.Reason, f.Strength})
	}
	return nil
}

// Close ends the call: the peer is closed, the readers stop, analysis
// finishes the frames it has, and the recording is finalised with reason.
func (c *Call) Close(reason string) error {
	c.mu.Lock()
	if c.closed {
		err := c.closeErr
		c.mu.Unlock()
		return err
	}
	c.closed = true
	c.mu.Unlock()

	err := c.pc.Close()
	c.readers.Wait()
	c.closeSlot()
	select {
	case <-c.analysis:
	case <-time.After(10 * time.Second):
		c.log.Warn("analysis did not finish in time; cancelling")
		c.cancel()
		<-c.analysis
	}
	c.cancel()
	c.an.Close()
	man, rerr := c.rec.Close(reason)
	c.mu.Lock()
	c.status.State = "ended"
	c.result = Result{Dir: c.cfg.Dir, Reason: reason, Windows: c.windows, Pipeline: c.pres, Manifest: man, Err: c.anErr}
	c.mu.Unlock()
	c.result.Status = c.snapshot()
	if rerr != nil {
		err = errors.Join(err, rerr)
	}
	c.mu.Lock()
	c.closeErr = err
	c.mu.Unlock()
	if c.cfg.OnEnd != nil {
		c.cfg.OnEnd(c.result)
	}
	return err
}

func (c *Call) closeSlot() { c.slotOnce.Do(func() { close(c.slot) }) }
