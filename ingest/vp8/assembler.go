package vp8

import (
	"bytes"
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"

	"github.com/unmaskhq/unmask/ingest/rtpseq"
)

// Frame is one complete compressed VP8 frame reassembled from RTP.
type Frame struct {
	Data      []byte // the VP8 frame; owned by the receiver
	Timestamp uint32 // RTP timestamp shared by the frame's packets
	Keyframe  bool
}

// AssemblerStats counts what an Assembler has seen.
type AssemblerStats struct {
	Packets   uint64 `json:"packets"`   // packets pushed
	Frames    uint64 `json:"frames"`    // complete frames returned
	Keyframes uint64 `json:"keyframes"` // of which keyframes
	// Dropped counts frames abandoned before completion (a sequence gap, a
	// missing first or last packet, a malformed payload descriptor, the
	// size limit) and complete frames with no VP8 data.
	Dropped uint64 `json:"dropped"`
	// Skipped counts complete inter frames thrown away while waiting for a
	// keyframe (after a loss, or at the start of the stream).
	Skipped uint64 `json:"skipped"`
	// LostPackets counts sequence numbers skipped over in gaps.
	LostPackets uint64 `json:"lost_packets"`
	// Stale counts duplicate and late (reordered) packets, which are ignored.
	Stale uint64 `json:"stale"`
	// KeyframeRequests counts Push calls that returned needKeyframe.
	KeyframeRequests uint64 `json:"keyframe_requests"`
}

// Assembler rebuilds VP8 frames from the RTP packets of one stream
// (RFC 7741). A frame starts with a packet whose descriptor has S=1 and
// PID=0, continues with packets of the same RTP timestamp and consecutive
// sequence numbers, and ends on the marker bit.
//
// There is no jitter buffer: packets must arrive in order. A reordered
// packet shows up as a gap (the frame is dropped) and is then ignored as
// late. On loopback and LAN paths reordering is rare; a PLI costs one
// keyframe, which is cheaper than delaying every frame.
//
// After any loss it returns no inter frame until a keyframe arrives, since
// inter frames would reference a picture the decoder never had. It also
// starts in that state, so the first frame returned is a keyframe.
//
// An Assembler is not safe for concurrent use: one goroutine (the track
// reader) calls Push. Stats is safe for concurrent use.
type Assembler struct {
	maxSize int

	seq     rtpseq.Tracker
	waitKey bool

	// The frame in progress.
	active bool
	broken bool // its packets are being discarded until it ends
	ts     uint32
	buf    []byte

	desc codecs.VP8Packet

	packets, frames, keyframes, dropped, skipped, requests atomic.Uint64
}

// AssemblerOption configures an Assembler.
type AssemblerOption func(*Assembler)

// WithMaxFrameSize sets the largest frame, in bytes, the Assembler builds;
// larger frames are dropped. The default is MaxFrameSize; n <= 0 keeps it.
func WithMaxFrameSize(n int) AssemblerOption {
	return func(a *Assembler) {
		if n > 0 {
			a.maxSize = n
		}
	}
}

// NewAssembler returns an Assembler waiting for the first keyframe.
func NewAssembler(opts ...AssemblerOption) *Assembler {
	a := &Assembler{maxSize: MaxFrameSize, waitKey: true}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Push adds one packet. When it completes a frame, Push returns it with ok
// set; frame.Data is a new slice the receiver owns. needKeyframe is set
// when Push dropped or skipped a frame and the decoder cannot continue
// without a keyframe: the caller should send an RTCP PLI, at a limited rate
// since a lossy link reports it on many calls. Push does not retain p.
func (a *Assembler) Push(p *rtp.Packet) (frame Frame, ok bool, needKeyframe bool) {
	if p == nil {
		return Frame{}, false, false
	}
	a.packets.Add(1)
	seq := a.seq.Next(p)
	switch seq {
	case rtpseq.Stale:
		return Frame{}, false, false
	case rtpseq.Gap:
		a.drop() // what was in progress lost packets
	}
	frame, ok, needKeyframe = a.payload(p)
	needKeyframe = needKeyframe || seq == rtpseq.Gap
	if needKeyframe {
		a.requests.Add(1)
	}
	return frame, ok, needKeyframe
}

// payload adds p's VP8 payload to the frame in progress.
func (a *Assembler) payload(p *rtp.Packet) (Frame, bool, bool) {
	if len(p.Payload) == 0 {
		return Frame{}, false, false // padding: it only advances the sequence
	}
	if _, err := a.desc.Unmarshal(p.Payload); err != nil {
		return Frame{}, false, a.breakFrame(p)
	}
	start := a.desc.S == 1 && a.desc.PID == 0
	need := false
	if a.active && (p.Timestamp != a.ts || start) {
		// The previous frame never got its marker packet.
		need = a.drop()
	}
	if !a.active {
		a.active, a.broken, a.ts, a.buf = true, false, p.Timestamp, a.buf[:0]
		if !start { // joined mid-frame, or its first packet was lost
			need = a.breakFrame(p) || need
			return Frame{}, false, need
		}
	}
	if a.broken {
		a.active = a.active && !p.Marker
		return Frame{}, false, need
	}
	if len(a.buf)+len(a.desc.Payload) > a.maxSize {
		return Frame{}, false, a.breakFrame(p) || need
	}
	a.buf = append(a.buf, a.desc.Payload...)
	if !p.Marker {
		return Frame{}, false, need
	}
	a.active = false
	if len(a.buf) == 0 { // descriptors only: nothing to decode, nothing lost
		a.dropped.Add(1)
		return Frame{}, false, need
	}
	key := IsKeyframe(a.buf)
	if a.waitKey && !key {
		a.skipped.Add(1)
		return Frame{}, false, true
	}
	a.waitKey = false
	a.frames.Add(1)
	if key {
		a.keyframes.Add(1)
	}
	return Frame{Data: bytes.Clone(a.buf), Timestamp: a.ts, Keyframe: key}, true, need
}

// breakFrame marks the frame p belongs to as broken: its remaining packets
// are discarded up to its marker. It reports that a keyframe is needed.
func (a *Assembler) breakFrame(p *rtp.Packet) bool {
	if a.active && a.ts != p.Timestamp {
		a.drop()
	}
	if !a.active {
		a.active, a.broken, a.ts = true, false, p.Timestamp
	}
	if !a.broken {
		a.dropped.Add(1)
	}
	a.broken = true
	a.waitKey = true
	a.active = !p.Marker
	return true
}

// drop abandons the frame in progress after a loss: it, and any frame lost
// whole in a gap, leave the decoder without references. It reports that a
// keyframe is needed.
func (a *Assembler) drop() bool {
	if a.active && !a.broken {
		a.dropped.Add(1)
	}
	a.active, a.broken = false, false
	a.waitKey = true
	return true
}

// Stats returns the counters so far. It is safe for concurrent use.
func (a *Assembler) Stats() AssemblerStats {
	return AssemblerStats{
		Packets:          a.packets.Load(),
		Frames:           a.frames.Load(),
		Keyframes:        a.keyframes.Load(),
		Dropped:          a.dropped.Load(),
		Skipped:          a.skipped.Load(),
		LostPackets:      a.seq.Lost(),
		Stale:            a.seq.Stale(),
		KeyframeRequests: a.requests.Load(),
	}
}
