package rtpseq_test

import (
	"testing"

	"github.com/pion/rtp"

	"github.com/unmaskhq/unmask/ingest/rtpseq"
)

func TestTracker(t *testing.T) {
	type step struct {
		ssrc uint32
		seq  uint16
		want rtpseq.Result
	}
	tests := []struct {
		name             string
		steps            []step
		wantLost, wantSt uint64
	}{
		{"in order across the wrap", []step{{1, 65534, rtpseq.InOrder}, {1, 65535, rtpseq.InOrder}, {1, 0, rtpseq.InOrder}, {1, 1, rtpseq.InOrder}}, 0, 0},
		{"gap", []step{{1, 10, rtpseq.InOrder}, {1, 13, rtpseq.Gap}, {1, 14, rtpseq.InOrder}}, 2, 0},
		{"gap across the wrap", []step{{1, 65534, rtpseq.InOrder}, {1, 1, rtpseq.Gap}}, 2, 0},
		{"duplicate and late", []step{{1, 10, rtpseq.InOrder}, {1, 11, rtpseq.InOrder}, {1, 11, rtpseq.Stale}, {1, 9, rtpseq.Stale}, {1, 12, rtpseq.InOrder}}, 0, 2},
		{"restarted sequence", []step{{1, 5000, rtpseq.InOrder}, {1, 5000 - rtpseq.MaxReorder, rtpseq.Gap}, {1, 5001 - rtpseq.MaxReorder, rtpseq.InOrder}}, 0, 0},
		{"new SSRC", []step{{1, 10, rtpseq.InOrder}, {2, 500, rtpseq.Gap}, {2, 501, rtpseq.InOrder}, {1, 11, rtpseq.Gap}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr rtpseq.Tracker
			for i, s := range tt.steps {
				p := &rtp.Packet{Header: rtp.Header{SSRC: s.ssrc, SequenceNumber: s.seq}}
				if got := tr.Next(p); got != s.want {
					t.Errorf("packet %d (ssrc %d seq %d): got %v, want %v", i, s.ssrc, s.seq, got, s.want)
				}
			}
			if got := tr.Lost(); got != tt.wantLost {
				t.Errorf("Lost() = %d, want %d", got, tt.wantLost)
			}
			if got := tr.Stale(); got != tt.wantSt {
				t.Errorf("Stale() = %d, want %d", got, tt.wantSt)
			}
		})
	}
}
