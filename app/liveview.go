package app

import (
	"math"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/ingest/devices"
)

// overlayRate is how often the overlay goes to the window: fast enough to
// follow a head (10-15 Hz), slow enough not to load the window's event
// bridge. Pictures are encoded at the same rate.
const overlayRate = 12

// pictureRing is how many recent JPEGs a view keeps, so that the picture
// an overlay names is still there when the window asks for it.
const pictureRing = 8

// challengeSpan is how much frame history a view keeps for challenges.
const challengeSpan = 30 * time.Second

// picture is one encoded frame.
type picture struct {
	index int
	jpeg  []byte
}

// frameNote is what a challenge needs of one analysed frame.
type frameNote struct {
	at      time.Duration
	face    bool
	yaw     float64 // degrees, NaN without a pose
	arrived time.Time
}

// liveView turns one live source's analysis into what the window shows:
// the latest overlay, sent at overlayRate, and recent pictures. Its
// callbacks run on the source's goroutines and never block on the window.
type liveView struct {
	id, source string
	emit       func(event string, payload any)

	mu       sync.Mutex
	ov       Overlay
	seq      uint64 // bumped on every change
	pics     [pictureRing]picture
	picN     int
	lastEnc  time.Time
	notes    []frameNote
	windows  []fuse.Window
	devices  []devices.Finding
	state    string
	message  string
	stats    func() (dropped int64, latencyMS, audioLevel float64)
	watchers map[int]chan struct{}
	nextW    int

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

func newLiveView(id, source string, emit func(string, any)) *liveView {
	v := &liveView{id: id, source: source, emit: emit, state: "waiting",
		stop: make(chan struct{}), done: make(chan struct{}), watchers: map[int]chan struct{}{}}
	v.ov = Overlay{Source: source, ID: id, Level: "low", Landmarks: []float64{}, Signals: emptySignals(), Frame: -1}
	go v.run()
	return v
}

// run sends the overlay when it changed, at most overlayRate times a
// second, and the state once a second.
func (v *liveView) run() {
	defer close(v.done)
	t := time.NewTicker(time.Second / overlayRate)
	defer t.Stop()
	var sent uint64
	lastState := time.Time{}
	for {
		select {
		case <-v.stop:
			v.emit(EventLiveState, v.State())
			return
		case <-t.C:
		}
		v.mu.Lock()
		changed := v.seq != sent && v.ov.Frame >= 0
		sent = v.seq
		ov := v.snapshotLocked()
		v.mu.Unlock()
		if changed {
			v.emit(EventLiveOverlay, ov)
		}
		if time.Since(lastState) >= time.Second {
			lastState = time.Now()
			v.emit(EventLiveState, v.State())
		}
	}
}

func (v *liveView) snapshotLocked() Overlay {
	ov := v.ov
	ov.Landmarks = append([]float64(nil), v.ov.Landmarks...)
	ov.Signals = append([]SignalScore(nil), v.ov.Signals...)
	if v.stats != nil {
		ov.Dropped, ov.LatencyMS, ov.AudioLevel = v.stats()
	}
	return ov
}

// close stops the view after one last state. Idempotent.
func (v *liveView) close() {
	v.once.Do(func() {
		v.setState("ended", "")
		close(v.stop)
		<-v.done
	})
}

// onPicture encodes img, at most overlayRate times a second. It runs on
// the decoding goroutine and does not retain img.
func (v *liveView) onPicture(index int, img gocv.Mat) {
	v.mu.Lock()
	due := time.Since(v.lastEnc) >= time.Second/overlayRate
	if due {
		v.lastEnc = time.Now()
	}
	v.mu.Unlock()
	if !due {
		return
	}
	b, err := encodeFrame(analysis.Frame{Index: index, Image: img})
	if err != nil {
		return
	}
	v.mu.Lock()
	v.pics[v.picN%pictureRing] = picture{index: index, jpeg: b}
	v.picN++
	v.mu.Unlock()
}

// picture returns the JPEG of frame index, if still kept.
func (v *liveView) picture(index int) ([]byte, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, p := range v.pics {
		if p.jpeg != nil && p.index == index {
			return p.jpeg, true
		}
	}
	return nil, false
}

// onFrame takes one analysed frame: its face for the overlay, its pose
// and presence for challenges. The picture shown is the newest encoded
// one at or before the frame.
func (v *liveView) onFrame(r analysis.FrameResult) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ov.Frame, v.ov.TimeMS = r.Index, float64(r.Time)/float64(time.Millisecond)
	v.ov.Box, v.ov.Landmarks = nil, v.ov.Landmarks[:0]
	n := frameNote{at: r.Time, yaw: math.NaN(), arrived: time.Now()}
	if r.HasFace() {
		f := r.Face
		v.ov.Box = &Rect{X: f.Box.Min.X, Y: f.Box.Min.Y, W: f.Box.Dx(), H: f.Box.Dy()}
		for _, p := range f.Landmarks {
			v.ov.Landmarks = append(v.ov.Landmarks, math.Round(p.X*10)/10, math.Round(p.Y*10)/10)
		}
		n.face = true
		if !math.IsInf(f.Pose.ReprojError, 0) && !math.IsNaN(f.Pose.Yaw) {
			n.yaw = f.Pose.Yaw
		}
	}
	best := -1
	for i, p := range v.pics {
		if p.jpeg != nil && p.index <= r.Index && (best < 0 || p.index > v.pics[best].index) {
			best = i
		}
	}
	if best >= 0 {
		p := v.pics[best]
		v.ov.FrameURL = frameURL(v.source, v.id, p.index)
		if w, h, ok := jpegSize(p.jpeg); ok {
			v.ov.Width, v.ov.Height = w, h
		}
	}
	v.notes = append(v.notes, n)
	for len(v.notes) > 0 && r.Time-v.notes[0].at > challengeSpan {
		v.notes = v.notes[1:]
	}
	v.seq++
	v.notify()
}

// onWindow takes a scored window: the risk, level and every signal with
// its reason and region.
func (v *liveView) onWindow(w fuse.Window) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ov.Risk, v.ov.Level = w.Risk, string(w.Level)
	sig := emptySignals()
	for i := range sig {
		for _, s := range w.Scores {
			if s.Signal != sig[i].Name || !s.Valid {
				continue
			}
			sig[i].Score = s.Value
			if len(s.Reasons) > 0 {
				sig[i].Reason = s.Reasons[0]
			}
			if len(s.Regions) > 0 {
				r := s.Regions[0]
				sig[i].Region = &Rect{X: r.Min.X, Y: r.Min.Y, W: r.Dx(), H: r.Dy()}
			}
			if s.Signal == "lipsync" {
				if off, ok := s.Metrics["offset_ms"]; ok && !math.IsNaN(off) {
					o := off
					v.ov.LipOffsetMS = &o
				}
				v.ov.LipConfidence = s.Metrics["confidence"]
			}
		}
	}
	v.ov.Signals = sig
	v.windows = append(v.windows, w)
	for len(v.windows) > 0 && w.End-v.windows[0].End > challengeSpan {
		v.windows = v.windows[1:]
	}
	v.seq++
	v.notify()
}

// watch returns a channel that is signalled (without blocking) on every
// new frame or window, and a function to stop watching.
func (v *liveView) watch() (<-chan struct{}, func()) {
	v.mu.Lock()
	defer v.mu.Unlock()
	ch := make(chan struct{}, 1)
	k := v.nextW
	v.nextW++
	v.watchers[k] = ch
	return ch, func() {
		v.mu.Lock()
		delete(v.watchers, k)
		v.mu.Unlock()
	}
}

func (v *liveView) notify() {
	for _, ch := range v.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// history returns the frames and windows since t (on the source's clock).
func (v *liveView) history(since time.Duration) ([]frameNote, []fuse.Window) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var fs []frameNote
	for _, n := range v.notes {
		if n.at >= since {
			fs = append(fs, n)
		}
	}
	var ws []fuse.Window
	for _, w := range v.windows {
		if w.End >= since {
			ws = append(ws, w)
		}
	}
	return fs, ws
}

// now is the source's clock: the time of the newest analysed frame.
func (v *liveView) now() (time.Duration, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.notes) == 0 {
		return 0, false
	}
	return v.notes[len(v.notes)-1].at, true
}

func (v *liveView) setState(state, message string) {
	v.mu.Lock()
	v.state, v.message = state, message
	v.mu.Unlock()
}

func (v *liveView) setDevices(f []devices.Finding) {
	v.mu.Lock()
	v.devices = append([]devices.Finding(nil), f...)
	v.mu.Unlock()
}

// State returns the view's LiveState.
func (v *liveView) State() LiveState {
	v.mu.Lock()
	defer v.mu.Unlock()
	st := LiveState{ID: v.id, Source: v.source, State: v.state, Message: v.message, Devices: []DeviceFinding{}}
	for _, f := range v.devices {
		st.Devices = append(st.Devices, DeviceFinding{Kind: string(f.Kind), Label: f.Device, Product: f.Product, Reason: f.Reason, Strength: f.Strength})
	}
	return st
}

// latest returns the newest overlay and the JPEG it shows.
func (v *liveView) latest() (Overlay, []byte) {
	v.mu.Lock()
	ov := v.snapshotLocked()
	v.mu.Unlock()
	b, _ := v.picture(frameIndexOf(ov.FrameURL))
	return ov, b
}
