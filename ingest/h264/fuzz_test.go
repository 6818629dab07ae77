package h264_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/pion/rtp"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/h264"
	"github.com/unmaskhq/unmask/internal/ingesttest"
	"github.com/unmaskhq/unmask/internal/matleak"
)

// FuzzDecode feeds arbitrary data to a fresh decoder, optionally after a
// real IDR so that P-slice paths are reached. It must not crash, must
// return a documented error or a valid picture, and must decode a real IDR
// afterwards.
func FuzzDecode(f *testing.F) {
	fx := tinyFixture(f)
	key, inter := fx.aus[0], fx.aus[1]
	f.Add(key, false)
	f.Add(inter, true)
	f.Add(inter, false)
	f.Add(key[:len(key)/2], false)
	f.Add(inter[:len(inter)/2], true)
	f.Add(spsAU(f, 4000, 3000), false)
	f.Add(append(spsAU(f, 25, 19), key[indexNAL(f, key, 8)-4:]...), false)
	f.Add([]byte{}, true)
	f.Add([]byte("\x00\x00\x01\x65not an H.264 slice"), true)
	f.Fuzz(func(t *testing.T, data []byte, afterKey bool) {
		before := matleak.Count()
		d, err := h264.NewDecoder()
		if err != nil {
			t.Fatal(err)
		}
		img := gocv.NewMat()
		defer func() { d.Close(); img.Close(); ingesttest.CheckNoLeak(t, before) }()
		if afterKey {
			if err := d.Decode(key, &img); err != nil {
				t.Fatal(err)
			}
		}
		err = d.Decode(data, &img)
		switch {
		case err == nil:
			if verr := analysis.ValidateBGR(img); verr != nil {
				t.Fatalf("decoded picture: %v", verr)
			}
		case errors.Is(err, h264.ErrCorrupt), errors.Is(err, h264.ErrNeedKeyframe),
			errors.Is(err, h264.ErrNoPicture), errors.Is(err, analysis.ErrBadFrame):
		default:
			t.Fatalf("undocumented error: %v", err)
		}
		// The fuzzed SPS/PPS may stay in the decoder, but the real IDR
		// carries its own.
		if err := d.Decode(key, &img); err != nil {
			t.Fatalf("real IDR after the input: %v", err)
		}
	})
}

// FuzzAssembler pushes arbitrary RTP packets. It must not crash, never
// return an access unit over the size limit, and after a keyframe request
// (and at the start) return no access unit with non-IDR slices before one
// with an IDR.
func FuzzAssembler(f *testing.F) {
	fx := tinyFixture(f)
	s := stream{mtu: 60, seq: 65530, ts: 5, ssrc: 9}
	pkts := packetize(f, fx.aus[:3], s)
	f.Add(ingesttest.RTPRecords(f, pkts))
	f.Add(ingesttest.RTPRecords(f, append(append([]packet(nil), pkts[:2]...), pkts[3:]...)))
	f.Add(ingesttest.RTPRecords(f, packetize(f, fx.aus[1:3], stream{mtu: 30})))
	f.Add([]byte{0, 13, 0x80, 0xe0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x65})
	const limit = 1 << 12
	f.Fuzz(func(t *testing.T, data []byte) {
		a := h264.NewAssembler(h264.WithMaxFrameSize(limit))
		wantKey := true
		var frames, requests uint64
		for len(data) >= 2 {
			n := min(int(binary.BigEndian.Uint16(data)), len(data)-2)
			var p rtp.Packet
			err := p.Unmarshal(data[2 : 2+n])
			data = data[2+n:]
			if err != nil {
				continue
			}
			fr, ok, need := a.Push(&p)
			if need {
				requests++
				wantKey = true
			}
			if !ok {
				continue
			}
			frames++
			if len(fr.Data) == 0 || len(fr.Data) > limit {
				t.Fatalf("access unit of %d bytes", len(fr.Data))
			}
			if !bytes.HasPrefix(fr.Data, []byte{0, 0, 0, 1}) {
				t.Fatal("access unit does not start with a start code")
			}
			if fr.Keyframe != h264.IsKeyframe(fr.Data) {
				t.Fatal("Keyframe flag disagrees with the NAL units")
			}
			if wantKey && hasSlice(fr.Data) && !fr.Keyframe {
				t.Fatal("P access unit returned while an IDR was needed")
			}
			if fr.Keyframe {
				wantKey = false
			}
		}
		if st := a.Stats(); st.Frames != frames || st.KeyframeRequests != requests {
			t.Fatalf("stats %+v, saw %d frames and %d requests", st, frames, requests)
		}
	})
}

// hasSlice reports whether an access unit holds a slice NAL unit (1-5),
// by a plain scan independent of the package's.
func hasSlice(au []byte) bool {
	for i := 0; i+3 < len(au); i++ {
		if au[i] == 0 && au[i+1] == 0 && au[i+2] == 1 {
			if t := au[i+3] & 0x1f; t >= 1 && t <= 5 {
				return true
			}
		}
	}
	return false
}

// FuzzIVF replays arbitrary bytes as an IVF file: opening fails with a
// documented error or succeeds; replay ends with nil or ErrNoFrames, sends
// only valid frames and leaves no Mat open.
func FuzzIVF(f *testing.F) {
	fx := tinyFixture(f)
	f.Add(ivfBytes(fx.aus[:3]))
	f.Add(ivfBytes(fx.aus[1:3]))
	full := ivfBytes(fx.aus[:2])
	f.Add(full[:len(full)-7])
	f.Fuzz(func(t *testing.T, data []byte) {
		before := matleak.Count()
		defer ingesttest.CheckNoLeak(t, before)
		src, err := h264.NewIVFReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, h264.ErrNotIVF) && !errors.Is(err, h264.ErrCodec) && !errors.Is(err, h264.ErrBadHeader) {
				t.Fatalf("undocumented open error: %v", err)
			}
			return
		}
		defer src.Close()
		out := make(chan analysis.Frame)
		done := make(chan error, 1)
		go func() { done <- src.Frames(context.Background(), out) }()
		for fr := range out {
			if err := fr.Validate(); err != nil {
				t.Errorf("frame %d: %v", fr.Index, err)
			}
			fr.Close()
		}
		if err := <-done; err != nil && !errors.Is(err, h264.ErrNoFrames) {
			t.Fatalf("Frames: %v", err)
		}
	})
}
