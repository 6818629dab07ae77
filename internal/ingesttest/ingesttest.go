// Package ingesttest holds the test helpers that the video ingest packages
// (vp8, h264, ivf) share: encoding fixtures with the ffmpeg CLI, building
// IVF files and RTP packets, and comparing pictures.
package ingesttest

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pion/rtp"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/internal/matleak"
)

// Fixtures builds test fixtures once per test binary, under one temporary
// directory that Remove deletes (call it from TestMain). It is safe for
// concurrent use.
type Fixtures[T any] struct {
	mu      sync.Mutex
	pattern string // of the directory, for os.MkdirTemp
	dir     string
	built   map[string]T
}

// NewFixtures returns fixtures kept in a directory named after pattern.
func NewFixtures[T any](pattern string) *Fixtures[T] {
	return &Fixtures[T]{pattern: pattern, built: map[string]T{}}
}

// Get returns the fixture called name, calling build with the directory
// to write it in the first time.
func (f *Fixtures[T]) Get(tb testing.TB, name string, build func(dir string) T) T {
	tb.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if fx, ok := f.built[name]; ok {
		return fx
	}
	if f.dir == "" {
		d, err := os.MkdirTemp("", f.pattern)
		if err != nil {
			tb.Fatal(err)
		}
		f.dir = d
	}
	fx := build(f.dir)
	f.built[name] = fx
	return fx
}

// Remove deletes the fixture directory.
func (f *Fixtures[T]) Remove() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dir != "" {
		os.RemoveAll(f.dir)
	}
}

// FFmpeg runs the ffmpeg CLI quietly with args and fails tb on error.
func FFmpeg(tb testing.TB, args ...string) {
	tb.Helper()
	cmd := exec.Command("ffmpeg", append([]string{"-nostdin", "-v", "error", "-y"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}

// WriteFile writes data to dir/name and returns the path.
func WriteFile(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// CheckNoLeak fails t if the number of open Mats changed since before
// (only counted with -tags matprofile).
func CheckNoLeak(t *testing.T, before int) {
	t.Helper()
	if n := matleak.Count(); n != before {
		t.Fatalf("%d Mats leaked", n-before)
	}
}

// MeanAbsDiff returns the mean absolute difference over all pixels and
// channels of two same-sized BGR Mats.
func MeanAbsDiff(tb testing.TB, a, b gocv.Mat) float64 {
	tb.Helper()
	if a.Rows() != b.Rows() || a.Cols() != b.Cols() || a.Type() != b.Type() {
		tb.Fatalf("cannot compare %dx%d %v with %dx%d %v", a.Cols(), a.Rows(), a.Type(), b.Cols(), b.Rows(), b.Type())
	}
	d := gocv.NewMat()
	defer d.Close()
	gocv.AbsDiff(a, b, &d)
	m := d.Mean()
	return (m.Val1 + m.Val2 + m.Val3) / 3
}

// MaxAbsDiff returns the largest absolute difference of any channel.
func MaxAbsDiff(tb testing.TB, a, b gocv.Mat) float64 {
	tb.Helper()
	d := gocv.NewMat()
	defer d.Close()
	gocv.AbsDiff(a, b, &d)
	flat := d.Reshape(1, 0)
	defer flat.Close()
	_, hi, _, _ := gocv.MinMaxLoc(flat)
	return float64(hi)
}

// IVFHeader builds an IVF file header: fourcc, picture size, a timebase of
// num/den seconds and a frame count.
func IVFHeader(fourcc string, w, h int, den, num uint32, frames uint32) []byte {
	b := make([]byte, 32)
	copy(b, "DKIF")
	binary.LittleEndian.PutUint16(b[6:], 32)
	copy(b[8:12], fourcc)
	binary.LittleEndian.PutUint16(b[12:], uint16(w))
	binary.LittleEndian.PutUint16(b[14:], uint16(h))
	binary.LittleEndian.PutUint32(b[16:], den)
	binary.LittleEndian.PutUint32(b[20:], num)
	binary.LittleEndian.PutUint32(b[24:], frames)
	return b
}

// IVFFrame builds one IVF frame record.
func IVFFrame(pts uint64, data []byte) []byte {
	b := make([]byte, 12, 12+len(data))
	binary.LittleEndian.PutUint32(b, uint32(len(data)))
	binary.LittleEndian.PutUint64(b[4:], pts)
	return append(b, data...)
}

// Stream describes how Packetize numbers packets.
type Stream struct {
	MTU         uint16 // 1200 when 0
	Seq         uint16 // first sequence number
	TS          uint32 // first RTP timestamp
	Step        uint32 // RTP timestamp units between frames
	SSRC        uint32
	PayloadType uint8
}

// Packet is one RTP packet and the index of the frame it carries.
type Packet struct {
	*rtp.Packet
	Frame int
}

// Packetize splits frames into RTP packets with pay, as a WebRTC sender
// would: increasing sequence numbers, one timestamp per frame, the marker
// on each frame's last packet.
func Packetize(tb testing.TB, frames [][]byte, pay rtp.Payloader, s Stream) []Packet {
	tb.Helper()
	if s.MTU == 0 {
		s.MTU = 1200
	}
	seq := s.Seq
	var out []Packet
	for i, f := range frames {
		parts := pay.Payload(s.MTU, f)
		if len(parts) == 0 {
			tb.Fatalf("payloader returned nothing for frame %d", i)
		}
		for j, p := range parts {
			out = append(out, Packet{Packet: &rtp.Packet{
				Header: rtp.Header{
					Version:        2,
					PayloadType:    s.PayloadType,
					SequenceNumber: seq,
					Timestamp:      s.TS + uint32(i)*s.Step,
					SSRC:           s.SSRC,
					Marker:         j == len(parts)-1,
				},
				Payload: p,
			}, Frame: i})
			seq++
		}
	}
	return out
}

// RTPRecords encodes packets as assembler fuzz input: each a 2-byte
// big-endian length and the marshalled packet.
func RTPRecords(tb testing.TB, pkts []Packet) []byte {
	tb.Helper()
	var b []byte
	for _, p := range pkts {
		raw, err := p.Marshal()
		if err != nil {
			tb.Fatal(err)
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(raw)))
		b = append(b, raw...)
	}
	return b
}
