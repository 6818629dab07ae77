package vp8_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/pion/rtp"

	"github.com/unmaskhq/unmask/ingest/vp8"
)

// output is what an Assembler returned for one packet sequence.
type output struct {
	frames []vp8.Frame
	// requests lists the index (into the pushed packets) of each Push that
	// returned needKeyframe.
	requests []int
}

// push feeds packets to a and collects what it returns.
func push(a *vp8.Assembler, pkts []packet) output {
	var out output
	for i, p := range pkts {
		f, ok, need := a.Push(p.Packet)
		if ok {
			out.frames = append(out.frames, f)
		}
		if need {
			out.requests = append(out.requests, i)
		}
	}
	return out
}

// frameIndex maps an output frame back to the source frame with its
// timestamp.
func frameIndex(tb testing.TB, s stream, f vp8.Frame) int {
	tb.Helper()
	return int((f.Timestamp - s.ts) / rtpStep)
}

// checkFrames checks every output frame is byte-identical to the source
// frame with its timestamp (after all packets were pushed, so a buffer
// reused by the Assembler would show), flagged correctly, and that the frames decode
// in order without error. It returns the source indices.
func checkFrames(tb testing.TB, fx *fixture, s stream, frames []vp8.Frame) []int {
	tb.Helper()
	d := newDecoder(tb)
	img := newMat(tb)
	idx := make([]int, len(frames))
	for i, f := range frames {
		n := frameIndex(tb, s, f)
		if n < 0 || n >= len(fx.frames) {
			tb.Fatalf("output %d: timestamp %d matches no frame", i, f.Timestamp)
		}
		if !bytes.Equal(f.Data, fx.frames[n]) {
			tb.Fatalf("output %d (frame %d): %d bytes differ from the %d sent", i, n, len(f.Data), len(fx.frames[n]))
		}
		if f.Keyframe != vp8.IsKeyframe(fx.frames[n]) {
			tb.Errorf("output %d (frame %d): Keyframe = %v", i, n, f.Keyframe)
		}
		if err := d.Decode(f.Data, img); err != nil {
			tb.Errorf("output %d (frame %d): decode: %v", i, n, err)
		}
		idx[i] = n
	}
	return idx
}

func TestAssemblerRoundTrip(t *testing.T) {
	fx := clipFixture(t)
	tests := []struct {
		name string
		s    stream
	}{
		{"mtu 1200", stream{mtu: 1200, seq: 1000, ts: 12345, ssrc: 7}},
		{"mtu 200 picture id", stream{mtu: 200, seq: 1, ts: 1, ssrc: 7, pictID: true}},
		{"sequence wraps", stream{mtu: 300, seq: 65500, ts: 0, ssrc: 7}},
		{"timestamp wraps", stream{mtu: 1200, seq: 3, ts: 1<<32 - 5*rtpStep, ssrc: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkts := packetize(t, fx.frames, tt.s)
			a := vp8.NewAssembler()
			out := push(a, pkts)
			if len(out.requests) != 0 {
				t.Errorf("needKeyframe at packets %v of a clean stream", out.requests)
			}
			if got, want := len(out.frames), len(fx.frames); got != want {
				t.Fatalf("%d frames, want %d", got, want)
			}
			idx := checkFrames(t, fx, tt.s, out.frames)
			for i, n := range idx {
				if n != i {
					t.Fatalf("output %d is frame %d", i, n)
				}
			}
			st := a.Stats()
			want := vp8.AssemblerStats{Packets: uint64(len(pkts)), Frames: uint64(len(fx.frames)), Keyframes: uint64(len(keyframes(fx.frames)))}
			if st != want {
				t.Errorf("stats %+v, want %+v", st, want)
			}
		})
	}
}

// packetsOf returns the positions in pkts of frame n's packets.
func packetsOf(pkts []packet, n int) []int {
	var pos []int
	for i, p := range pkts {
		if p.Frame == n {
			pos = append(pos, i)
		}
	}
	return pos
}

// TestAssemblerLoss damages the packets of one inter frame (or the first
// keyframe's) and checks the damaged frame never comes out, a keyframe is
// requested, nothing comes out until the next keyframe, and every frame
// that does come out is intact and decodes.
func TestAssemblerLoss(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 300, seq: 65400, ts: 99, ssrc: 42} // wraps near frame 10
	pkts := packetize(t, fx.frames, s)
	keys := keyframes(fx.frames)
	const victim = 10 // an inter frame spanning several packets at mtu 300
	vp := packetsOf(pkts, victim)
	if len(vp) < 3 || vp8.IsKeyframe(fx.frames[victim]) {
		t.Fatalf("frame %d: %d packets, keyframe %v; the test needs a multi-packet inter frame", victim, len(vp), vp8.IsKeyframe(fx.frames[victim]))
	}
	without := func(drop ...int) []packet {
		var out []packet
		for i, p := range pkts {
			skip := false
			for _, d := range drop {
				skip = skip || i == d
			}
			if !skip {
				out = append(out, p)
			}
		}
		return out
	}
	withPacket := func(pos int, mutate func(p *rtp.Packet)) []packet {
		out := append([]packet(nil), pkts...)
		c := *pkts[pos].Packet
		c.Payload = append([]byte(nil), c.Payload...)
		mutate(&c)
		out[pos] = packet{Packet: &c, Frame: pkts[pos].Frame}
		return out
	}
	swapped := append([]packet(nil), pkts...)
	swapped[vp[1]], swapped[vp[2]] = swapped[vp[2]], swapped[vp[1]]
	duplicated := append(append(append([]packet(nil), pkts[:vp[1]+1]...), pkts[vp[1]]), pkts[vp[1]+1:]...)
	late := append(append(append([]packet(nil), pkts[:vp[2]+1]...), pkts[vp[0]]), pkts[vp[2]+1:]...)

	tests := []struct {
		name   string
		pkts   []packet
		broken int  // the frame that must not come out (-1: none)
		lossy  bool // a keyframe must be requested and inter frames skipped
	}{
		{"middle packet lost", without(vp[1]), victim, true},
		{"first packet lost", without(vp[0]), victim, true},
		{"marker packet lost", without(vp[len(vp)-1]), victim, true},
		{"whole frame lost", without(vp...), victim, true},
		{"keyframe packet lost", without(packetsOf(pkts, 0)[1]), 0, true},
		{"packets swapped", swapped, victim, true},
		{"packet duplicated", duplicated, -1, false},
		{"old packet repeated late", late, -1, false},
		{"payload cut to a bare descriptor", withPacket(vp[0], func(p *rtp.Packet) { p.Payload = []byte{0x90} }), victim, true},
		{"payload cut to nothing", withPacket(vp[0], func(p *rtp.Packet) { p.Payload = nil }), victim, true},
		{"start bit cleared", withPacket(vp[0], func(p *rtp.Packet) { p.Payload[0] &^= 0x10 }), victim, true},
		{"partition index set", withPacket(vp[0], func(p *rtp.Packet) { p.Payload[0] |= 0x01 }), victim, true},
		{"marker cleared", withPacket(vp[len(vp)-1], func(p *rtp.Packet) { p.Marker = false }), victim, true},
		{"ssrc changed", withPacket(vp[1], func(p *rtp.Packet) { p.SSRC++ }), victim, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := vp8.NewAssembler()
			out := push(a, tt.pkts)
			idx := checkFrames(t, fx, s, out.frames)
			seen := map[int]bool{}
			for _, n := range idx {
				if seen[n] {
					t.Errorf("frame %d came out twice", n)
				}
				seen[n] = true
			}
			if tt.broken >= 0 && seen[tt.broken] {
				t.Errorf("damaged frame %d came out", tt.broken)
			}
			st := a.Stats()
			if !tt.lossy {
				if len(out.requests) != 0 || len(idx) != len(fx.frames) {
					t.Errorf("%d frames, keyframe requests at %v; want all %d, none", len(idx), out.requests, len(fx.frames))
				}
				if st.Stale != 1 {
					t.Errorf("Stale = %d, want 1", st.Stale)
				}
				return
			}
			if len(out.requests) == 0 {
				t.Fatal("no keyframe requested")
			}
			next := -1 // the keyframe after the damage
			for _, k := range keys {
				if k > tt.broken {
					next = k
					break
				}
			}
			for n := tt.broken; n < next; n++ {
				if seen[n] {
					t.Errorf("frame %d came out between the damage and keyframe %d", n, next)
				}
			}
			for n := range fx.frames {
				if (n < tt.broken || n >= next) && !seen[n] {
					t.Errorf("intact frame %d is missing", n)
				}
			}
			if st.Dropped+st.Skipped == 0 || st.Frames != uint64(len(idx)) || st.KeyframeRequests != uint64(len(out.requests)) {
				t.Errorf("stats %+v for %d frames out, %d requests", st, len(idx), len(out.requests))
			}
		})
	}
}

// TestAssemblerJoinMidStream starts inside a GOP and inside a frame: the
// Assembler requests a keyframe and returns nothing before it.
func TestAssemblerJoinMidStream(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 300, seq: 10, ts: 10, ssrc: 1}
	pkts := packetize(t, fx.frames, s)
	start := packetsOf(pkts, 5)[1] // second packet of frame 5
	a := vp8.NewAssembler()
	out := push(a, pkts[start:])
	if len(out.requests) == 0 || out.requests[0] != 0 {
		t.Errorf("keyframe requests at %v, want one at the first packet", out.requests)
	}
	idx := checkFrames(t, fx, s, out.frames)
	if len(idx) == 0 || idx[0] != 25 {
		t.Fatalf("first frame out %v, want keyframe 25", idx[:min(1, len(idx))])
	}
	if st := a.Stats(); st.Skipped != 25-6 || st.Dropped != 1 {
		t.Errorf("Skipped %d, Dropped %d; want 19 and 1", st.Skipped, st.Dropped)
	}
}

// TestAssemblerMaxFrameSize sets the limit just under keyframe 25: every
// frame over it is dropped with a keyframe request, and the frames after it
// wait for a keyframe that fits.
func TestAssemblerMaxFrameSize(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 1200, ssrc: 1}
	limit := len(fx.frames[25]) - 1
	var want []int // simulate the rule
	wait := true
	for n, f := range fx.frames {
		switch key := vp8.IsKeyframe(f); {
		case len(f) > limit:
			wait = true
		case wait && !key:
		default:
			wait = false
			want = append(want, n)
		}
	}
	if len(want) == len(fx.frames) || len(want) == 0 {
		t.Fatalf("limit %d drops nothing or everything", limit)
	}
	a := vp8.NewAssembler(vp8.WithMaxFrameSize(limit))
	out := push(a, packetize(t, fx.frames, s))
	got := checkFrames(t, fx, s, out.frames)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("frames out %v, want %v", got, want)
	}
	if len(out.requests) == 0 || a.Stats().Dropped == 0 {
		t.Errorf("requests %v, stats %+v: want a drop and a request", out.requests, a.Stats())
	}
}

// TestAssemblerPadding checks that padding-only packets (empty payload,
// as senders use for bandwidth probing) count in the sequence and do not
// look like loss; nil packets are ignored.
func TestAssemblerPadding(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 1200, seq: 100, ssrc: 1}
	frames := fx.frames[:5]
	pkts := packetize(t, frames, s)
	var padded []packet
	seq := s.seq
	for _, p := range pkts {
		c := *p.Packet
		c.SequenceNumber = seq
		seq++
		padded = append(padded, packet{Packet: &c, Frame: p.Frame})
		if c.Marker {
			pad := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: c.Timestamp, SSRC: c.SSRC, Padding: true}}
			padded = append(padded, packet{Packet: pad, Frame: -1})
			seq++
		}
	}
	a := vp8.NewAssembler()
	if _, ok, need := a.Push(nil); ok || need {
		t.Error("nil packet returned something")
	}
	out := push(a, padded)
	if len(out.frames) != len(frames) || len(out.requests) != 0 {
		t.Errorf("%d frames, requests %v; want %d, none", len(out.frames), out.requests, len(frames))
	}
	checkFrames(t, fx, s, out.frames)
}
