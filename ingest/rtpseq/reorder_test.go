package rtpseq_test

import (
	"testing"

	"github.com/pion/rtp"

	"github.com/unmaskhq/unmask/ingest/rtpseq"
)

func pkts(ssrc uint32, seqs ...uint16) []*rtp.Packet {
	out := make([]*rtp.Packet, len(seqs))
	for i, s := range seqs {
		out[i] = &rtp.Packet{Header: rtp.Header{SSRC: ssrc, SequenceNumber: s}}
	}
	return out
}

func TestReorder(t *testing.T) {
	tests := []struct {
		name  string
		depth int
		in    []uint16
		want  []uint16
	}{
		{"in order passes through", 4, []uint16{10, 11, 12, 13}, []uint16{10, 11, 12, 13}},
		{"a swapped pair is put back", 4, []uint16{10, 12, 11, 13}, []uint16{10, 11, 12, 13}},
		{"a retransmission fills its hole", 4, []uint16{10, 11, 13, 14, 15, 12, 16}, []uint16{10, 11, 12, 13, 14, 15, 16}},
		{"a lost packet is given up after depth", 2, []uint16{10, 12, 13, 14, 15}, []uint16{10, 12, 13, 14, 15}},
		{"duplicates and late packets are dropped", 4, []uint16{10, 11, 11, 12, 10, 13}, []uint16{10, 11, 12, 13}},
		{"wrap-around", 4, []uint16{65534, 0, 65535, 1}, []uint16{65534, 65535, 0, 1}},
		{"a restarted sequence starts afresh", 4, []uint16{10, 11, 5000, 5001}, []uint16{10, 11, 5000, 5001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rtpseq.NewReorder(tt.depth)
			var got []uint16
			for _, p := range pkts(1, tt.in...) {
				for _, q := range r.Push(p) {
					got = append(got, q.SequenceNumber)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("released %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("released %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// A new SSRC releases what the old stream held, in order, first.
func TestReorderNewStream(t *testing.T) {
	r := rtpseq.NewReorder(8)
	var got []uint32
	for _, p := range append(pkts(1, 10, 12), pkts(2, 100)...) {
		for _, q := range r.Push(p) {
			got = append(got, q.SSRC*1000+uint32(q.SequenceNumber))
		}
	}
	want := []uint32{1010, 1012, 2100}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("released %v, want %v", got, want)
	}
}

// FuzzReorder: any sequence of packets; nothing is released twice or
// invented, and in-order input is released at once.
func FuzzReorder(f *testing.F) {
	f.Add([]byte{0, 10, 0, 12, 0, 11, 255, 255, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := rtpseq.NewReorder(4)
		pushed, released := map[*rtp.Packet]bool{}, map[*rtp.Packet]bool{}
		for i := 0; i+1 < len(b); i += 2 {
			p := &rtp.Packet{Header: rtp.Header{SSRC: 1, SequenceNumber: uint16(b[i])<<8 | uint16(b[i+1])}}
			pushed[p] = true
			for _, q := range r.Push(p) {
				if !pushed[q] || released[q] {
					t.Fatalf("packet %d released twice or never pushed", q.SequenceNumber)
				}
				released[q] = true
			}
		}
		r2 := rtpseq.NewReorder(4)
		for s := uint16(0); s < 20; s++ {
			if out := r2.Push(&rtp.Packet{Header: rtp.Header{SSRC: 1, SequenceNumber: 65530 + s}}); len(out) != 1 {
				t.Fatalf("in-order packet %d: %d released", 65530+s, len(out))
			}
		}
	})
}
