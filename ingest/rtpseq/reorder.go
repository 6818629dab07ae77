package rtpseq

import "github.com/pion/rtp"

// Reorder puts a stream's packets back in sequence order before a frame
// assembler. Packets that arrive in order pass straight through; a packet
// that comes after a hole is held until the hole is filled (the network
// reordered it, or pion's NACK brought a retransmission) or until Depth
// packets wait behind it, when the hole is given up as lost. In order,
// it adds no delay; after a loss, at most Depth packets of it.
//
// A Reorder serves one goroutine and keeps the packets it is given.
type Reorder struct {
	depth   int
	started bool
	ssrc    uint32
	next    uint16 // the sequence number released next
	held    map[uint16]*rtp.Packet
}

// DefaultDepth holds up to 16 packets behind a hole: a few frames of
// webcam video, about the time a NACK round trip takes on a LAN.
const DefaultDepth = 16

// NewReorder returns a Reorder holding at most depth packets (at least 1;
// 0 means DefaultDepth).
func NewReorder(depth int) *Reorder {
	if depth <= 0 {
		depth = DefaultDepth
	}
	return &Reorder{depth: depth, held: map[uint16]*rtp.Packet{}}
}

// Push takes p and returns the packets that are now in order (often just
// p, sometimes none, sometimes several).
func (r *Reorder) Push(p *rtp.Packet) []*rtp.Packet {
	var out []*rtp.Packet
	if !r.started || p.SSRC != r.ssrc {
		out = r.flush(out) // a new stream: what is held belongs to the old one
		r.started, r.ssrc, r.next = true, p.SSRC, p.SequenceNumber
	}
	switch d := int16(p.SequenceNumber - r.next); {
	case d < 0 && d > -MaxReorder:
		return out // already released or given up: late or duplicate
	case d < 0 || d >= MaxReorder:
		out = r.flush(out) // the sender restarted its sequence
		r.next = p.SequenceNumber
	}
	r.held[p.SequenceNumber] = p
	out = r.release(out)
	for len(r.held) > r.depth { // give up the hole: skip to the oldest held packet
		r.next = r.oldest()
		out = r.release(out)
	}
	return out
}

// release appends the held packets that continue the sequence.
func (r *Reorder) release(out []*rtp.Packet) []*rtp.Packet {
	for {
		p, ok := r.held[r.next]
		if !ok {
			return out
		}
		delete(r.held, r.next)
		out = append(out, p)
		r.next++
	}
}

// oldest is the held sequence number closest after next.
func (r *Reorder) oldest() uint16 {
	best, bestD := r.next, uint16(0xffff)
	for s := range r.held {
		if d := s - r.next; d < bestD {
			best, bestD = s, d
		}
	}
	return best
}

// flush appends every held packet in sequence order and forgets them.
func (r *Reorder) flush(out []*rtp.Packet) []*rtp.Packet {
	for len(r.held) > 0 {
		r.next = r.oldest()
		out = r.release(out)
	}
	return out
}
