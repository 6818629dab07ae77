package live

import (
	"math"
	"sync"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/opusdec"
	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/ingest/rtpseq"
)

// clock places both tracks on the call's clock (see doc.go).
type clock struct {
	mu     sync.Mutex
	origin time.Time
}

// since returns the time of arrival t on the call's clock, starting the
// clock at the first call.
func (k *clock) since(t time.Time) time.Duration {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.origin.IsZero() {
		k.origin = t
	}
	return t.Sub(k.origin)
}

// rtpClock unwraps a track's 32-bit RTP timestamps into time since the
// track's first packet.
type rtpClock struct {
	rate    int64
	started bool
	last    uint32
	ext     int64 // unwrapped ticks since the first packet
}

func (r *rtpClock) ticks(ts uint32) int64 {
	if !r.started {
		r.started, r.last = true, ts
		return 0
	}
	r.ext += int64(int32(ts - r.last)) // signed difference handles wrap and reordering
	r.last = ts
	return r.ext
}

func (r *rtpClock) at(ticks int64) time.Duration {
	return time.Duration(ticks * int64(time.Second) / r.rate)
}

// pliEvery limits keyframe requests: a keyframe costs the sender bitrate,
// and one request per half second recovers any loss.
const pliEvery = 500 * time.Millisecond

// onTrack starts a reader for each incoming track (pion's goroutine).
func (c *Call) onTrack(t *webrtc.TrackRemote, r *webrtc.RTPReceiver) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.readers.Add(2)
	c.mu.Unlock()
	go func() { // drain RTCP so the interceptors run
		defer c.readers.Done()
		for {
			pkts, _, err := r.ReadRTCP()
			if err != nil {
				return
			}
			c.onRTCP(t.Kind(), pkts)
		}
	}()
	switch t.Kind() {
	case webrtc.RTPCodecTypeVideo:
		go func() { defer c.readers.Done(); c.readVideo(t) }()
	case webrtc.RTPCodecTypeAudio:
		go func() { defer c.readers.Done(); c.readAudio(t) }()
	default:
		c.readers.Done()
	}
}

// readVideo assembles, records and decodes every frame, and offers each
// decoded picture to analysis without waiting.
func (c *Call) readVideo(t *webrtc.TrackRemote) {
	defer c.closeSlot()
	vp, err := newVideoPath(t.Codec().MimeType)
	if err != nil {
		c.log.Error("video decoder", "err", err)
		return
	}
	defer vp.close()
	if err := c.rec.SetVideoCodec(rtpmapName(t.Codec())); err != nil {
		c.recordError(err)
	}
	v := &videoTrack{c: c, path: vp, img: gocv.NewMat(), rc: rtpClock{rate: 90000}, fps: &rateMeter{}, ssrc: uint32(t.SSRC())}
	defer v.img.Close()
	v.pli() // a keyframe now, not at the sender's next interval
	// Packets go back in sequence order first: a reordered packet or a
	// retransmission (pion's NACK) then completes its frame instead of
	// breaking it.
	reorder := rtpseq.NewReorder(rtpseq.DefaultDepth)
	for {
		pkt, _, err := t.ReadRTP()
		if err != nil {
			return
		}
		for _, p := range reorder.Push(pkt) {
			fr, ok, needKey := vp.push(p)
			if needKey {
				v.pli()
			}
			if ok {
				v.take(fr)
			}
		}
	}
}

// videoTrack is the video reader's state.
type videoTrack struct {
	c       *Call
	path    videoPath
	img     gocv.Mat // the decoder's output, reused
	rc      rtpClock
	fps     *rateMeter
	ssrc    uint32
	index   int
	start   time.Duration // the first frame on the call's clock
	lastPLI time.Time
}

// pli asks the sender for a keyframe, at most every pliEvery.
func (v *videoTrack) pli() {
	if time.Since(v.lastPLI) < pliEvery {
		return
	}
	v.lastPLI = time.Now()
	v.c.plis.Add(1)
	v.c.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: v.ssrc}})
}

// take records, decodes and offers one complete frame.
func (v *videoTrack) take(fr frameIn) {
	c := v.c
	arrival := time.Now()
	if err := c.rec.WriteVideo(fr.data, fr.ts, fr.keyframe); err != nil {
		c.recordError(err)
	}
	if fr.keyframe && !v.path.plausibleKey(fr.data) {
		c.decodeErrs.Add(1)
		v.pli()
		return
	}
	if err := v.path.decode(fr.data, &v.img); err != nil {
		c.decodeErrs.Add(1)
		v.pli()
		return
	}
	ticks := v.rc.ticks(fr.ts)
	if v.index == 0 {
		v.start = c.clock.since(arrival)
		c.mu.Lock()
		c.status.Video.StartMS = v.start.Milliseconds()
		c.mu.Unlock()
		c.sync.setFirst(trackVideo, fr.ts)
		c.saveClock()
	}
	at := v.start + v.rc.at(ticks)
	w, h := v.img.Cols(), v.img.Rows()
	c.mu.Lock()
	c.status.Video.Frames++
	c.status.Video.Width, c.status.Video.Height = w, h
	c.status.Video.FPS = v.fps.tick(at)
	c.mu.Unlock()
	c.checkReceived(w, h, at)
	if analysis.ValidateBGR(v.img) != nil {
		return
	}
	c.mu.Lock()
	c.arrivals[v.index%len(c.arrivals)] = arrival
	c.mu.Unlock()
	if c.cfg.OnPicture != nil {
		c.cfg.OnPicture(v.index, v.img)
	}
	c.offer(analysis.Frame{Index: v.index, Time: at, Image: v.img.Clone()})
	v.index++
}

// offer puts f in the slot, displacing (and closing) a frame analysis has
// not taken yet. Only the video reader calls it.
func (c *Call) offer(f analysis.Frame) {
	select {
	case c.slot <- f:
		return
	default:
	}
	select {
	case old := <-c.slot:
		old.Close()
		c.dropped.Add(1)
	default:
	}
	select {
	case c.slot <- f:
	default:
		f.Close()
		c.dropped.Add(1)
	}
}

// maxAudioGap bounds the silence one jump of the RTP clock may insert: a
// real pause (muted microphone) is covered, a hostile jump is not.
const (
	minAudioGap = 40 * time.Millisecond
	maxAudioGap = time.Minute
)

// readAudio records the voice and queues it for lip-sync on the call's
// clock, filling gaps with silence.
func (c *Call) readAudio(t *webrtc.TrackRemote) {
	dec := opusdec.NewDecoder()
	rc := rtpClock{rate: AudioRate}
	var next int64 // expected ticks of the next packet
	first := true
	for {
		pkt, _, err := t.ReadRTP()
		if err != nil {
			return
		}
		if len(pkt.Payload) == 0 {
			continue // Chrome sends some empty packets
		}
		ticks := rc.ticks(pkt.Timestamp)
		if !first && ticks < next {
			continue // late or repeated packet: its time has been filled
		}
		pcm, err := dec.Decode(pkt.Payload)
		if err != nil {
			c.mu.Lock()
			c.status.Audio.Errors++
			c.mu.Unlock()
			continue
		}
		if first {
			first = false
			at := c.clock.since(time.Now())
			c.voice.silence(int64(at.Seconds() * AudioRate))
			c.mu.Lock()
			c.status.Audio.StartMS = at.Milliseconds()
			c.mu.Unlock()
			c.sync.setFirst(trackAudio, pkt.Timestamp)
			c.saveClock()
		} else if gap := ticks - next; rc.at(gap) >= minAudioGap {
			c.voice.silence(min(gap, int64(maxAudioGap/time.Second)*AudioRate))
		}
		next = ticks + int64(len(pcm))
		if err := c.rec.WriteAudio(pcm, pkt.Timestamp); err != nil {
			c.recordError(err)
		}
		c.voice.push(pcm)
		lvl := meterLevel(pcm)
		c.mu.Lock()
		c.status.Audio.Level = 0.7*c.status.Audio.Level + 0.3*lvl
		c.status.Audio.Packets++
		c.status.Audio.Seconds = float64(next) / AudioRate
		c.mu.Unlock()
	}
}

// saveClock puts both tracks' starts in the recording's manifest.
func (c *Call) saveClock() {
	c.mu.Lock()
	k := record.Clock{VideoStartMS: c.status.Video.StartMS, AudioStartMS: c.status.Audio.StartMS}
	c.mu.Unlock()
	c.rec.SetClock(k)
}

// recordError keeps the first recording error for the status.
func (c *Call) recordError(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.status.RecordingError == "" {
		c.status.RecordingError = err.Error()
		c.log.Error("recording", "err", err)
	}
}

// rateMeter measures frames per second over the last two seconds.
type rateMeter struct{ times []time.Duration }

func (m *rateMeter) tick(at time.Duration) float64 {
	m.times = append(m.times, at)
	for len(m.times) > 2 && at-m.times[0] > 2*time.Second {
		m.times = m.times[1:]
	}
	if len(m.times) < 2 {
		return 0
	}
	span := m.times[len(m.times)-1] - m.times[0]
	if span <= 0 {
		return 0
	}
	return float64(len(m.times)-1) / span.Seconds()
}

// meterLevel is a packet's loudness for a level meter: its RMS in dBFS
// mapped from -60 dB (0) to 0 dB (1), the range a speaking voice moves in.
func meterLevel(pcm []float32) float64 {
	if len(pcm) == 0 {
		return 0
	}
	var sum float64
	for _, x := range pcm {
		sum += float64(x) * float64(x)
	}
	rms := math.Sqrt(sum / float64(len(pcm)))
	if rms <= 1e-3 { // -60 dBFS
		return 0
	}
	return min(1, (20*math.Log10(rms)+60)/60)
}
