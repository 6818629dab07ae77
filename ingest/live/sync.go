package live

import (
	"math"
	"sync"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// avSync aligns voice and frames by capture time once both tracks have
// sent an RTCP Sender Report (RFC 3550 §6.4.1: an NTP wall-clock time and
// the RTP timestamp of the same instant). Until then the tracks are
// placed by the arrival of their first packets; the correction is applied
// once, to the voice, and stored with the recording.
type avSync struct {
	mu    sync.Mutex
	first [2]struct {
		set bool
		rtp uint32
	} // first packet's RTP time: video, audio
	sr [2]struct {
		set bool
		ntp float64
		rtp uint32
	}
	done bool
}

const (
	trackVideo = 0
	trackAudio = 1
	// maxSyncCorrection rejects sender reports that would move the voice
	// by more than this: a sender's clocks are not that far apart, so such
	// a report is broken, not informative.
	maxSyncCorrection = time.Second
)

var clockRate = [2]float64{90000, AudioRate}

func (s *avSync) setFirst(track int, rtpTS uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.first[track].set {
		s.first[track].set, s.first[track].rtp = true, rtpTS
	}
}

func (s *avSync) report(track int, sr *rtcp.SenderReport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sr[track].set = true
	s.sr[track].ntp = ntpSeconds(sr.NTPTime)
	s.sr[track].rtp = sr.RTPTime
}

// captureOffset is how much later the first voice sample was captured
// than the first frame, when both reports and both firsts are known; it
// answers only once.
func (s *avSync) captureOffset() (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done || !s.first[0].set || !s.first[1].set || !s.sr[0].set || !s.sr[1].set {
		return 0, false
	}
	s.done = true
	var capture [2]float64
	for k := 0; k < 2; k++ {
		ticks := float64(int32(s.first[k].rtp - s.sr[k].rtp))
		capture[k] = s.sr[k].ntp + ticks/clockRate[k]
	}
	return time.Duration((capture[1] - capture[0]) * float64(time.Second)), true
}

// ntpSeconds converts a 64-bit NTP timestamp (32.32 fixed point).
func ntpSeconds(t uint64) float64 {
	return float64(t>>32) + float64(t&0xffffffff)/math.Exp2(32)
}

// onRTCP keeps each track's sender reports (RTCP reader goroutine).
func (c *Call) onRTCP(kind webrtc.RTPCodecType, pkts []rtcp.Packet) {
	track := trackVideo
	if kind == webrtc.RTPCodecTypeAudio {
		track = trackAudio
	}
	for _, p := range pkts {
		if sr, ok := p.(*rtcp.SenderReport); ok {
			c.sync.report(track, sr)
		}
	}
	c.alignVoice()
}

// alignVoice moves the voice by the difference between where arrival put
// it and where capture time says it belongs.
func (c *Call) alignVoice() {
	capOff, ok := c.sync.captureOffset()
	if !ok {
		return
	}
	c.mu.Lock()
	arrOff := time.Duration(c.status.Audio.StartMS-c.status.Video.StartMS) * time.Millisecond
	delta := capOff - arrOff
	if delta.Abs() > maxSyncCorrection {
		c.mu.Unlock()
		c.log.Warn("sender reports disagree with arrival by more than a second; keeping arrival timing", "delta", delta)
		return
	}
	c.status.Audio.StartMS += delta.Milliseconds()
	c.status.Audio.SyncedMS = delta.Milliseconds()
	c.status.Audio.Synced = true
	c.mu.Unlock()
	c.voice.shift(int64(delta.Seconds() * AudioRate))
	c.saveClock()
}
