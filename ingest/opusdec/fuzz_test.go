package opusdec_test

import (
	"errors"
	"math"
	"testing"

	"github.com/unmaskhq/unmask/ingest/opusdec"
)

// FuzzDecode feeds arbitrary payloads to a Decoder that has already decoded
// real speech, twice in a row (so state carried from a bad packet is
// exercised), then a real packet. It must not panic (recovered panics
// count as failures here: Stats.Panics must stay 0), must return
// ErrCorrupt, ErrTooLarge or exactly the TOC's duration in finite samples
// within [-1, 1], and the real packet after it must decode.
func FuzzDecode(f *testing.F) {
	s := load(f, encode(f, monoSpeech(f, f.TempDir()), "-application", "voip", "-b:a", "32k"))
	for _, p := range s.packets[90:110] {
		f.Add(p)
	}
	for _, p := range [][]byte{
		{0xfc}, {0xfb, 0x03}, {0xfb, 0xc5, 0xff, 0xff, 0x01}, {0xfa, 200, 1, 2},
		{0x4b, 0x41}, {0x0b, 0x83, 0x05, 0x01, 0x02}, {0x7f, 0x00}, {0xff, 0x30, 0x01},
	} {
		f.Add(p)
	}
	warm := s.packets[100:105]
	next := s.packets[105]
	f.Fuzz(func(t *testing.T, data []byte) {
		d := opusdec.NewDecoder()
		for _, p := range warm {
			if _, err := d.Decode(p); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			got, err := d.Decode(data)
			switch {
			case len(data) == 0:
				if got != nil || err != nil {
					t.Fatalf("empty payload: %d samples, %v", len(got), err)
				}
			case err != nil:
				if !errors.Is(err, opusdec.ErrCorrupt) && !errors.Is(err, opusdec.ErrTooLarge) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				if got != nil {
					t.Fatalf("error with %d samples", len(got))
				}
			default:
				info, perr := opusdec.ParsePacket(data)
				if perr != nil || len(got) != info.Samples || len(got) > opusdec.MaxPacketSamples {
					t.Fatalf("%d samples; ParsePacket %+v, %v", len(got), info, perr)
				}
				for i, v := range got {
					if math.IsNaN(float64(v)) || v > 1 || v < -1 {
						t.Fatalf("sample %d = %v", i, v)
					}
				}
			}
		}
		if st := d.Stats(); st.Panics != 0 {
			t.Fatalf("pion/opus panicked on % x", data)
		}
		if got, err := d.Decode(next); err != nil || len(got) != 960 {
			t.Fatalf("real packet after fuzz input: %d samples, %v", len(got), err)
		}
	})
}
