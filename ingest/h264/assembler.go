package h264

import (
	"bytes"
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"

	"github.com/unmaskhq/unmask/ingest/rtpseq"
)

// RTP payload structures (RFC 6184 §5.4) beyond single NAL units 1-23.
const (
	stapA = 24
	fuA   = 28
)

// Frame is one complete Annex-B access unit reassembled from RTP.
type Frame struct {
	// Data is the access unit, each NAL unit after a 4-byte start code;
	// owned by the receiver.
	Data      []byte
	Timestamp uint32 // RTP timestamp shared by the access unit's packets
	Keyframe  bool   // it holds an IDR slice
}

// AssemblerStats counts what an Assembler has seen.
type AssemblerStats struct {
	Packets   uint64 `json:"packets"`   // packets pushed
	Frames    uint64 `json:"frames"`    // complete access units returned
	Keyframes uint64 `json:"keyframes"` // of which hold an IDR
	// Dropped counts access units abandoned before completion (a sequence
	// gap, a lost FU-A fragment, an unsupported or malformed payload, the
	// size limit).
	Dropped uint64 `json:"dropped"`
	// Skipped counts complete access units with non-IDR slices thrown away
	// while waiting for an IDR (after a loss, or at the start).
	Skipped uint64 `json:"skipped"`
	// LostPackets counts sequence numbers skipped over in gaps.
	LostPackets uint64 `json:"lost_packets"`
	// Stale counts duplicate and late (reordered) packets, which are ignored.
	Stale uint64 `json:"stale"`
	// KeyframeRequests counts Push calls that returned needKeyframe.
	KeyframeRequests uint64 `json:"keyframe_requests"`
}

// Assembler rebuilds H.264 access units from the RTP packets of one stream
// (RFC 6184, packetization-mode 1: single NAL units, STAP-A and FU-A),
// depacketising with pion's codecs.H264Packet. An access unit is the
// packets of one RTP timestamp with consecutive sequence numbers; it ends
// at the marker bit, or, for a sender that leaves the marker off, when a
// packet with a new timestamp arrives (then it comes out one Push late).
//
// There is no jitter buffer: packets must arrive in order. A reordered
// packet shows up as a gap (the access unit is dropped) and is then
// ignored as late. After any loss it returns no access unit with non-IDR
// slices until one with an IDR arrives; it starts in that state. Access
// units without slices (SPS, PPS, SEI) are always returned, so that
// parameter sets sent on their own still reach the decoder.
//
// An Assembler is not safe for concurrent use: one goroutine (the track
// reader) calls Push. Stats is safe for concurrent use.
type Assembler struct {
	maxSize int

	seq     rtpseq.Tracker
	waitKey bool

	// The access unit in progress.
	active bool
	broken bool // its packets are being discarded until it ends
	inFU   bool // an FU-A has started and not ended
	ts     uint32
	buf    []byte
	fuLen  int // bytes of the open FU-A, which pion buffers

	depack codecs.H264Packet // holds the open FU-A's fragments
	ready  []Frame           // complete, not yet returned (at most one in practice)

	packets, frames, keyframes, dropped, skipped, requests atomic.Uint64
}

// AssemblerOption configures an Assembler.
type AssemblerOption func(*Assembler)

// WithMaxFrameSize sets the largest access unit, in bytes, the Assembler
// builds; larger ones are dropped. The default is MaxFrameSize; n <= 0
// keeps it.
func WithMaxFrameSize(n int) AssemblerOption {
	return func(a *Assembler) {
		if n > 0 {
			a.maxSize = n
		}
	}
}

// NewAssembler returns an Assembler waiting for the first IDR.
func NewAssembler(opts ...AssemblerOption) *Assembler {
	a := &Assembler{maxSize: MaxFrameSize, waitKey: true}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Push adds one packet. When an access unit is complete, Push returns it
// with ok set; frame.Data is a new slice the receiver owns. needKeyframe is
// set when Push dropped or skipped an access unit and the decoder cannot
// continue without an IDR: the caller should send an RTCP PLI, at a
// limited rate. Push does not retain p.
func (a *Assembler) Push(p *rtp.Packet) (frame Frame, ok bool, needKeyframe bool) {
	if p == nil {
		return a.next(false)
	}
	a.packets.Add(1)
	seq := a.seq.Next(p)
	if seq == rtpseq.Gap {
		a.drop() // what was in progress lost packets
	}
	if seq != rtpseq.Stale {
		needKeyframe = a.payload(p) || seq == rtpseq.Gap
	}
	if needKeyframe {
		a.requests.Add(1)
	}
	return a.next(needKeyframe)
}

// next returns the oldest complete access unit, if any.
func (a *Assembler) next(need bool) (Frame, bool, bool) {
	if len(a.ready) == 0 {
		return Frame{}, false, need
	}
	f := a.ready[0]
	a.ready = a.ready[1:]
	a.frames.Add(1)
	if f.Keyframe {
		a.keyframes.Add(1)
	}
	return f, true, need
}

// payload adds p's NAL units to the access unit in progress and reports
// whether a keyframe is needed.
func (a *Assembler) payload(p *rtp.Packet) bool {
	if len(p.Payload) == 0 {
		return false // padding: it only advances the sequence
	}
	need := false
	if a.active && p.Timestamp != a.ts {
		need = a.finish() // the marker packet was missing or lost
	}
	if !a.active {
		a.active, a.broken, a.inFU, a.fuLen, a.ts = true, false, false, 0, p.Timestamp
		a.buf = a.buf[:0]
		a.depack = codecs.H264Packet{}
	}
	if a.broken {
		a.active = !p.Marker
		return need
	}
	switch t := p.Payload[0] & 0x1f; {
	case t == fuA:
		if len(p.Payload) < 2 {
			return a.breakAU(p) || need
		}
		start, end := p.Payload[1]&0x80 != 0, p.Payload[1]&0x40 != 0
		if start == a.inFU { // a start inside an FU-A, or a fragment without one
			return a.breakAU(p) || need
		}
		a.inFU = !end
		a.fuLen += len(p.Payload) - 2
	case t == 0 || t > stapA || a.inFU: // reserved, STAP-B, MTAP, FU-B; or an unfinished FU-A
		return a.breakAU(p) || need
	}
	if len(a.buf)+a.fuLen+4 > a.maxSize {
		return a.breakAU(p) || need
	}
	nals, err := a.depack.Unmarshal(p.Payload)
	if err != nil || len(a.buf)+len(nals) > a.maxSize {
		return a.breakAU(p) || need
	}
	if len(nals) > 0 && !a.inFU {
		a.fuLen = 0
	}
	a.buf = append(a.buf, nals...)
	if p.Marker {
		if a.inFU {
			return a.breakAU(p) || need
		}
		need = a.finish() || need
	}
	return need
}

// finish ends the access unit in progress, queues it unless it must be
// skipped, and reports whether a keyframe is needed.
func (a *Assembler) finish() bool {
	active, broken := a.active, a.broken
	a.active, a.broken = false, false
	if !active || broken {
		return false
	}
	if a.inFU { // ended inside an FU-A: its end was lost
		a.dropped.Add(1)
		a.waitKey = true
		return true
	}
	if len(a.buf) == 0 {
		return false
	}
	k := kindOf(a.buf)
	if a.waitKey && k.slice && !k.idr {
		a.skipped.Add(1)
		return true
	}
	if k.idr {
		a.waitKey = false
	}
	a.ready = append(a.ready, Frame{Data: bytes.Clone(a.buf), Timestamp: a.ts, Keyframe: k.idr})
	return false
}

// breakAU marks the access unit p belongs to as broken: its remaining
// packets are discarded up to its marker. It reports that a keyframe is
// needed.
func (a *Assembler) breakAU(p *rtp.Packet) bool {
	if !a.broken {
		a.dropped.Add(1)
	}
	a.broken, a.inFU, a.fuLen = true, false, 0
	a.depack = codecs.H264Packet{}
	a.waitKey = true
	a.active = !p.Marker
	return true
}

// drop abandons the access unit in progress after a loss: it, and any lost
// whole in a gap, leave the decoder without references. It reports that a
// keyframe is needed.
func (a *Assembler) drop() bool {
	if a.active && !a.broken {
		a.dropped.Add(1)
	}
	a.active, a.broken, a.inFU, a.fuLen = false, false, false, 0
	a.depack = codecs.H264Packet{}
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
