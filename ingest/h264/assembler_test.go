package h264_test

import (
	"bytes"
	"testing"

	"github.com/pion/rtp"

	"github.com/unmaskhq/unmask/ingest/h264"
)

// output is what an Assembler returned for one packet sequence.
type output struct {
	frames   []h264.Frame
	requests []int // positions of the pushes that returned needKeyframe
}

func push(a *h264.Assembler, pkts []packet) output {
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

// checkFrames checks every output access unit is byte-identical to the
// source access unit with its timestamp (both with 4-byte start codes and
// no AUD or filler NAL units, which pion's payloader drops), flagged
// correctly, and that they decode in order. It returns the source indices.
func checkFrames(tb testing.TB, fx *fixture, s stream, frames []h264.Frame) []int {
	tb.Helper()
	d := newDecoder(tb)
	img := newMat(tb)
	idx := make([]int, len(frames))
	for i, f := range frames {
		n := int((f.Timestamp - s.ts) / rtpStep)
		if n < 0 || n >= len(fx.aus) {
			tb.Fatalf("output %d: timestamp %d matches no access unit", i, f.Timestamp)
		}
		if !bytes.Equal(f.Data, fx.aus[n]) {
			tb.Fatalf("output %d (access unit %d): %d bytes differ from the %d sent", i, n, len(f.Data), len(fx.aus[n]))
		}
		if f.Keyframe != (n%25 == 0) {
			tb.Errorf("output %d (access unit %d): Keyframe = %v", i, n, f.Keyframe)
		}
		if err := d.Decode(f.Data, img); err != nil {
			tb.Errorf("output %d (access unit %d): decode: %v", i, n, err)
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
		{"mtu 200", stream{mtu: 200, seq: 1, ts: 1, ssrc: 7}},
		{"sequence wraps", stream{mtu: 300, seq: 65500, ts: 0, ssrc: 7}},
		{"timestamp wraps", stream{mtu: 1200, seq: 3, ts: 1<<32 - 5*rtpStep, ssrc: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkts := packetize(t, fx.aus, tt.s)
			a := h264.NewAssembler()
			out := push(a, pkts)
			if len(out.requests) != 0 {
				t.Errorf("needKeyframe at packets %v of a clean stream", out.requests)
			}
			if got, want := len(out.frames), len(fx.aus); got != want {
				t.Fatalf("%d access units, want %d", got, want)
			}
			for i, n := range checkFrames(t, fx, tt.s, out.frames) {
				if n != i {
					t.Fatalf("output %d is access unit %d", i, n)
				}
			}
			want := h264.AssemblerStats{Packets: uint64(len(pkts)), Frames: uint64(len(fx.aus)), Keyframes: 3}
			if st := a.Stats(); st != want {
				t.Errorf("stats %+v, want %+v", st, want)
			}
		})
	}
}

// TestAssemblerNoMarker checks a sender that never sets the marker: each
// access unit comes out when the next one's first packet arrives.
func TestAssemblerNoMarker(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 500, seq: 9, ts: 5, ssrc: 1}
	pkts := packetize(t, fx.aus, s)
	for _, p := range pkts {
		p.Marker = false
	}
	a := h264.NewAssembler()
	out := push(a, pkts)
	if len(out.requests) != 0 || len(out.frames) != len(fx.aus)-1 {
		t.Fatalf("%d access units, requests %v; want %d, none", len(out.frames), out.requests, len(fx.aus)-1)
	}
	checkFrames(t, fx, s, out.frames)
}

func packetsOf(pkts []packet, n int) []int {
	var pos []int
	for i, p := range pkts {
		if p.Frame == n {
			pos = append(pos, i)
		}
	}
	return pos
}

// TestAssemblerLoss damages the packets of one P access unit (or the
// first IDR's) and checks the damaged one never comes out, a keyframe is
// requested, nothing with slices comes out until the next IDR, and what
// does come out is intact and decodes.
func TestAssemblerLoss(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 300, seq: 65400, ts: 99, ssrc: 42}
	pkts := packetize(t, fx.aus, s)
	const victim = 10
	vp := packetsOf(pkts, victim)
	if len(vp) < 4 || pkts[vp[1]].Payload[0]&0x1f != 28 {
		t.Fatalf("access unit %d: %d packets; the test needs a multi-packet FU-A", victim, len(vp))
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
	// renumber gives packets consecutive sequence numbers, so that a
	// missing fragment is only visible in the FU-A headers.
	renumber := func(in []packet) []packet {
		out := make([]packet, len(in))
		for i, p := range in {
			c := *p.Packet
			c.SequenceNumber = s.seq + uint16(i)
			out[i] = packet{Packet: &c, Frame: p.Frame}
		}
		return out
	}
	fuEnd := -1 // a packet ending an FU-A
	for _, i := range vp {
		if pl := pkts[i].Payload; pl[0]&0x1f == 28 && pl[1]&0x40 != 0 {
			fuEnd = i
			break
		}
	}
	if fuEnd < 0 {
		t.Fatal("no FU-A end packet")
	}
	swapped := append([]packet(nil), pkts...)
	swapped[vp[1]], swapped[vp[2]] = swapped[vp[2]], swapped[vp[1]]
	duplicated := append(append(append([]packet(nil), pkts[:vp[1]+1]...), pkts[vp[1]]), pkts[vp[1]+1:]...)
	late := append(append(append([]packet(nil), pkts[:vp[2]+1]...), pkts[vp[0]]), pkts[vp[2]+1:]...)

	tests := []struct {
		name   string
		pkts   []packet
		broken int
		lossy  bool
	}{
		{"middle packet lost", without(vp[1]), victim, true},
		{"first packet lost", without(vp[0]), victim, true},
		{"marker packet lost", without(vp[len(vp)-1]), victim, true},
		{"whole access unit lost", without(vp...), victim, true},
		{"IDR packet lost", without(packetsOf(pkts, 0)[2]), 0, true},
		{"FU-A start lost, sequence hidden", renumber(without(vp[0])), victim, true},
		{"FU-A middle lost, sequence hidden", renumber(without(vp[1])), victim, true},
		{"FU-A end lost, sequence hidden", renumber(without(fuEnd)), victim, true},
		{"packets swapped", swapped, victim, true},
		{"packet duplicated", duplicated, -1, false},
		{"old packet repeated late", late, -1, false},
		{"FU-A cut to its indicator", withPacket(vp[1], func(p *rtp.Packet) { p.Payload = p.Payload[:1] }), victim, true},
		{"STAP-B", withPacket(vp[0], func(p *rtp.Packet) { p.Payload[0] = p.Payload[0]&0xe0 | 25 }), victim, true},
		{"NAL type 0", withPacket(vp[0], func(p *rtp.Packet) { p.Payload[0] &= 0xe0 }), victim, true},
		{"ssrc changed", withPacket(vp[1], func(p *rtp.Packet) { p.SSRC++ }), victim, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h264.NewAssembler()
			out := push(a, tt.pkts)
			idx := checkFrames(t, fx, s, out.frames)
			seen := map[int]bool{}
			for _, n := range idx {
				if seen[n] {
					t.Errorf("access unit %d came out twice", n)
				}
				seen[n] = true
			}
			if tt.broken >= 0 && seen[tt.broken] {
				t.Errorf("damaged access unit %d came out", tt.broken)
			}
			st := a.Stats()
			if !tt.lossy {
				if len(out.requests) != 0 || len(idx) != len(fx.aus) || st.Stale != 1 {
					t.Errorf("%d access units, requests %v, stale %d; want all %d, none, 1", len(idx), out.requests, st.Stale, len(fx.aus))
				}
				return
			}
			if len(out.requests) == 0 {
				t.Fatal("no keyframe requested")
			}
			next := (tt.broken/25 + 1) * 25
			for n := range fx.aus {
				if want := n < tt.broken || n >= next; seen[n] != want {
					t.Errorf("access unit %d: out %v, want %v", n, seen[n], want)
				}
			}
			if st.Dropped+st.Skipped == 0 || st.Frames != uint64(len(idx)) || st.KeyframeRequests != uint64(len(out.requests)) {
				t.Errorf("stats %+v for %d out, %d requests", st, len(idx), len(out.requests))
			}
		})
	}
}

// TestAssemblerJoinMidStream starts inside a GOP and inside an access
// unit: nothing comes out before the IDR at 25.
func TestAssemblerJoinMidStream(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 300, seq: 10, ts: 10, ssrc: 1}
	pkts := packetize(t, fx.aus, s)
	start := packetsOf(pkts, 5)[1]
	a := h264.NewAssembler()
	out := push(a, pkts[start:])
	if len(out.requests) == 0 || out.requests[0] != 0 {
		t.Errorf("keyframe requests at %v, want one at the first packet", out.requests)
	}
	idx := checkFrames(t, fx, s, out.frames)
	if len(idx) == 0 || idx[0] != 25 {
		t.Fatalf("first out %v, want IDR 25", idx[:min(1, len(idx))])
	}
	if st := a.Stats(); st.Skipped != 25-6 || st.Dropped != 1 {
		t.Errorf("Skipped %d, Dropped %d; want 19 and 1", st.Skipped, st.Dropped)
	}
}

// TestAssemblerMaxFrameSize sets the limit just under IDR 25: it is
// dropped with a request and the P access units after it are skipped.
func TestAssemblerMaxFrameSize(t *testing.T) {
	fx := clipFixture(t)
	s := stream{mtu: 1200, ssrc: 1}
	limit := len(fx.aus[25]) - 1
	var want []int
	wait := true
	for n, au := range fx.aus {
		switch key := n%25 == 0; {
		case len(au) > limit:
			wait = true
		case wait && !key:
		default:
			wait = false
			want = append(want, n)
		}
	}
	a := h264.NewAssembler(h264.WithMaxFrameSize(limit))
	out := push(a, packetize(t, fx.aus, s))
	got := checkFrames(t, fx, s, out.frames)
	if len(got) != len(want) || len(want) == len(fx.aus) {
		t.Fatalf("out %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("out %v, want %v", got, want)
		}
	}
	if len(out.requests) == 0 || a.Stats().Dropped == 0 {
		t.Errorf("requests %v, stats %+v: want a drop and a request", out.requests, a.Stats())
	}
}

// TestAssemblerParameterSetsAlone sends SPS and PPS in their own access
// unit (own timestamp) while waiting for an IDR: they come out, flagged
// as no keyframe, and the IDR after them decodes.
func TestAssemblerParameterSetsAlone(t *testing.T) {
	fx := clipFixture(t)
	idr := indexNAL(t, fx.aus[0], 5) - 4
	aus := [][]byte{fx.aus[0][:idr], fx.aus[0][idr:], fx.aus[1]}
	pkts := packetize(t, aus, stream{mtu: 1200, ssrc: 3})
	a := h264.NewAssembler()
	if _, ok, need := a.Push(nil); ok || need {
		t.Error("nil packet returned something")
	}
	out := push(a, pkts)
	if len(out.frames) != 3 || out.frames[0].Keyframe || !out.frames[1].Keyframe || len(out.requests) != 0 {
		t.Fatalf("%d out, requests %v", len(out.frames), out.requests)
	}
	d := newDecoder(t)
	img := newMat(t)
	for i, f := range out.frames {
		if err := d.Decode(f.Data, img); err != nil && i != 0 {
			t.Errorf("access unit %d: %v", i, err)
		}
	}
}
