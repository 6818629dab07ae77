package vp8_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/pion/rtp"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/ingest/vp8"
	"github.com/unmaskhq/unmask/internal/ingesttest"
	"github.com/unmaskhq/unmask/internal/matleak"
)

// FuzzDecode feeds arbitrary data to a fresh decoder, optionally after a
// real keyframe so that inter-frame paths are reached. It must not crash,
// must return one of the documented errors or a valid picture, and must
// decode a real keyframe afterwards.
func FuzzDecode(f *testing.F) {
	fx := tinyFixture(f)
	key, inter := fx.frames[0], fx.frames[1]
	f.Add(key, false)
	f.Add(inter, true)
	f.Add(inter, false)
	f.Add(key[:len(key)/2], false)
	f.Add(inter[:len(inter)/2], true)
	f.Add(keyHeader(16, 16, 1, []byte{0, 0}), false)
	f.Add(keyHeader(4000, 3000, 20, make([]byte, 40)), false)
	f.Add(keyHeader(400, 300, 20, make([]byte, 40)), false)
	f.Add([]byte{}, true)
	f.Add([]byte("not a VP8 frame at all"), true)
	f.Fuzz(func(t *testing.T, data []byte, afterKey bool) {
		before := matleak.Count()
		d, err := vp8.NewDecoder()
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
		case errors.Is(err, vp8.ErrCorrupt), errors.Is(err, vp8.ErrNeedKeyframe),
			errors.Is(err, vp8.ErrNoPicture), errors.Is(err, analysis.ErrBadFrame):
		default:
			t.Fatalf("undocumented error: %v", err)
		}
		if err := d.Decode(key, &img); err != nil {
			t.Fatalf("real keyframe after the input: %v", err)
		}
	})
}

// FuzzAssembler pushes arbitrary RTP packets. It must not crash, never
// return a frame over the size limit, and after a keyframe request (and at
// the start) return a keyframe before any inter frame.
func FuzzAssembler(f *testing.F) {
	fx := tinyFixture(f)
	s := stream{mtu: 50, seq: 65530, ts: 5, ssrc: 9}
	pkts := packetize(f, fx.frames[:3], s)
	f.Add(ingesttest.RTPRecords(f, pkts))
	f.Add(ingesttest.RTPRecords(f, append(append([]packet(nil), pkts[:1]...), pkts[2:]...)))
	f.Add(ingesttest.RTPRecords(f, packetize(f, fx.frames[1:3], stream{mtu: 30, pictID: true})))
	f.Add([]byte{0, 12, 0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1})
	const limit = 1 << 10
	f.Fuzz(func(t *testing.T, data []byte) {
		a := vp8.NewAssembler(vp8.WithMaxFrameSize(limit))
		wantKey := true
		var frames, requests uint64
		for len(data) >= 2 {
			n := int(binary.BigEndian.Uint16(data))
			data = data[2:]
			if n > len(data) {
				n = len(data)
			}
			var p rtp.Packet
			err := p.Unmarshal(data[:n])
			data = data[n:]
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
				t.Fatalf("frame of %d bytes", len(fr.Data))
			}
			if fr.Keyframe != vp8.IsKeyframe(fr.Data) {
				t.Fatal("Keyframe flag disagrees with the header")
			}
			if wantKey && !fr.Keyframe {
				t.Fatal("inter frame returned while a keyframe was needed")
			}
			wantKey = false
		}
		if st := a.Stats(); st.Frames != frames || st.KeyframeRequests != requests {
			t.Fatalf("stats %+v, saw %d frames and %d requests", st, frames, requests)
		}
	})
}

// FuzzIVF replays arbitrary bytes as an IVF file. Opening must fail with a
// documented error or succeed; replay must end with nil or ErrNoFrames and
// only send valid frames, and leave no Mat open.
func FuzzIVF(f *testing.F) {
	fx := tinyFixture(f)
	f.Add(ivfBytes(fx.frames[:3]))
	f.Add(ivfBytes(fx.frames[1:3]))
	f.Add(ivfBytes(nil))
	full := ivfBytes(fx.frames[:2])
	f.Add(full[:len(full)-7])
	f.Add(append(ingesttest.IVFHeader("VP80", 400, 300, 1, 90000, 0), ingesttest.IVFFrame(1<<40, fx.frames[0])...))
	f.Add(append(ingesttest.IVFHeader("VP90", 400, 300, 25, 1, 0), ingesttest.IVFFrame(0, fx.frames[0])...))
	f.Fuzz(func(t *testing.T, data []byte) {
		before := matleak.Count()
		defer ingesttest.CheckNoLeak(t, before)
		src, err := vp8.NewIVFReader(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, vp8.ErrNotIVF) && !errors.Is(err, vp8.ErrCodec) && !errors.Is(err, vp8.ErrBadHeader) {
				t.Fatalf("undocumented open error: %v", err)
			}
			return
		}
		defer src.Close()
		out := make(chan analysis.Frame)
		done := make(chan error, 1)
		go func() { done <- src.Frames(context.Background(), out) }()
		n, last := 0, -1
		for fr := range out {
			if err := fr.Validate(); err != nil {
				t.Errorf("frame %d: %v", fr.Index, err)
			}
			if fr.Index <= last {
				t.Errorf("index %d after %d", fr.Index, last)
			}
			last = fr.Index
			fr.Close()
			n++
		}
		if err := <-done; err != nil && !errors.Is(err, vp8.ErrNoFrames) {
			t.Fatalf("Frames: %v", err)
		}
		if max := (len(data) - 32) / 12; n > max {
			t.Fatalf("%d frames from %d bytes", n, len(data))
		}
	})
}
