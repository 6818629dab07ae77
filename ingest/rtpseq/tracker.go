// Package rtpseq follows the sequence numbers of one RTP stream for the
// frame assemblers (packages vp8 and h264). Reorder puts packets back in
// order in front of an assembler (a small jitter buffer without timing);
// Tracker, inside an assembler, tells a packet in order from one after a
// gap and from a late or duplicate one, and counts lost and stale packets.
//
// A Tracker serves one goroutine; Lost and Stale are safe for concurrent
// use.
package rtpseq

import (
	"sync/atomic"

	"github.com/pion/rtp"
)

// MaxReorder is how far back (in sequence numbers) a packet is taken as a
// late or duplicate packet and ignored. A packet further back means the
// sender restarted its sequence: it is treated as a gap, so the stream
// recovers at the next keyframe instead of ignoring up to 32767 packets.
const MaxReorder = 1000

// Result is what a packet's sequence number says about it.
type Result int

const (
	// InOrder follows the previous packet, or is the first.
	InOrder Result = iota
	// Gap follows lost packets, or starts a new stream (another SSRC or a
	// restarted sequence): what was in progress is incomplete.
	Gap
	// Stale is a duplicate or late (reordered) packet, to be ignored.
	Stale
)

// Tracker follows the sequence numbers of one RTP stream. The zero value
// is ready to use.
type Tracker struct {
	started bool
	ssrc    uint32
	last    uint16

	lost, stale atomic.Uint64
}

// Next checks p's sequence number against the last one seen and counts
// what it skipped over. uint16 differences make wrap-around at 65535
// ordinary. A Stale packet does not advance the sequence.
func (t *Tracker) Next(p *rtp.Packet) Result {
	res := InOrder
	switch {
	case !t.started:
		t.started, t.ssrc = true, p.SSRC
	case p.SSRC != t.ssrc: // a new stream: nothing carries over
		t.ssrc = p.SSRC
		res = Gap
	default:
		switch d := int16(p.SequenceNumber - t.last); {
		case d == 1:
		case d <= 0 && d > -MaxReorder:
			t.stale.Add(1)
			return Stale
		default:
			if d > 1 {
				t.lost.Add(uint64(d - 1))
			}
			res = Gap
		}
	}
	t.last = p.SequenceNumber
	return res
}

// Lost returns how many sequence numbers gaps skipped over. It is safe for
// concurrent use.
func (t *Tracker) Lost() uint64 { return t.lost.Load() }

// Stale returns how many duplicate and late packets Next reported. It is
// safe for concurrent use.
func (t *Tracker) Stale() uint64 { return t.stale.Load() }
