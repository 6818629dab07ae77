package record_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/ingest/record"
)

// TestVideoRoundTrip records real VP8 frames with 90 kHz timestamps that
// wrap around 2^32 and checks the IVF gives back the same bytes and the
// presentation times in ms, and that ffprobe decodes it.
func TestVideoRoundTrip(t *testing.T) {
	checkRoutines(t)
	frames := sourceFrames(t)
	dir := filepath.Join(t.TempDir(), "s1")
	r, err := record.Create(dir, record.Config{SessionID: "video-rt"})
	if err != nil {
		t.Fatal(err)
	}
	// 25 fps is 3600 ticks a frame; start 1 s before the wrap and add a
	// little capture jitter so the ms conversion is exercised.
	const base = uint32(1<<32 - 90000 + 123)
	var wantMS []uint64
	keys := 0
	for i, f := range frames {
		ticks := uint64(i*3600 + (i%4)*37)
		ts := base + uint32(ticks)
		if err := r.WriteVideo(f.data, ts, f.key); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		wantMS = append(wantMS, ticks/90)
		if f.key {
			keys++
		}
	}
	m, err := r.Close(record.EndNormal)
	if err != nil {
		t.Fatal(err)
	}

	h, got := readIVF(t, filepath.Join(dir, record.VideoName))
	if h.FourCC != "VP80" || h.Width != 400 || h.Height != 300 || h.TimebaseDenominator != 1000 || h.TimebaseNumerator != 1 {
		t.Errorf("IVF header %+v, want VP80 400x300 timebase 1/1000", *h)
	}
	if int(h.NumFrames) != len(frames) || len(got) != len(frames) {
		t.Fatalf("got %d frames (header says %d), want %d", len(got), h.NumFrames, len(frames))
	}
	for i := range frames {
		if !bytes.Equal(got[i].data, frames[i].data) {
			t.Errorf("frame %d: bytes differ", i)
		}
		if got[i].ms != wantMS[i] {
			t.Errorf("frame %d: %d ms, want %d", i, got[i].ms, wantMS[i])
		}
	}
	// FFmpeg decodes every frame and reads the same timestamps.
	path := filepath.Join(dir, record.VideoName)
	if n := probeFrames(t, path); n != len(frames) {
		t.Errorf("ffprobe decoded %d frames, want %d", n, len(frames))
	}
	pts := strings.Fields(ffprobe(t, "-select_streams", "v:0", "-show_entries", "packet=pts", "-of", "csv=p=0", path))
	for i, s := range pts {
		if s != strconv.FormatUint(wantMS[i], 10) {
			t.Errorf("ffprobe packet %d pts %s, want %d", i, s, wantMS[i])
			break
		}
	}

	sum, size := sha256File(t, path)
	if m.Video.SHA256 != sum || m.Video.Size != size {
		t.Errorf("manifest video %d bytes %s, file %d bytes %s", m.Video.Size, m.Video.SHA256, size, sum)
	}
	if m.Video.Frames != int64(len(frames)) || m.Video.Keyframes != int64(keys) || m.Video.Width != 400 || m.Video.Height != 300 {
		t.Errorf("manifest video %+v", m.Video)
	}
	if m.Video.DurationMS != int64(wantMS[len(wantMS)-1]) || *m.Video.FirstRTPTimestamp != base {
		t.Errorf("duration %d ms first ts %d, want %d and %d", m.Video.DurationMS, *m.Video.FirstRTPTimestamp, wantMS[len(wantMS)-1], base)
	}
	disk, err := record.ReadManifest(dir)
	if err != nil || !disk.Finalised() || disk.EndReason != "normal" || disk.SessionID != "video-rt" {
		t.Errorf("manifest on disk %+v, %v", disk, err)
	}
	if _, err := record.Verify(dir); err != nil {
		t.Error(err)
	}
}

// TestVideoEdges covers frames before the first key frame, refused
// frames, a timestamp going backwards and a resolution change.
func TestVideoEdges(t *testing.T) {
	checkRoutines(t)
	frames := sourceFrames(t)
	var key, delta []byte
	for _, f := range frames {
		if f.key && key == nil {
			key = f.data
		}
		if !f.key && delta == nil {
			delta = f.data
		}
	}
	dir := t.TempDir()
	r, err := record.Create(dir, record.Config{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		frame   []byte
		ts      uint32
		key     bool
		wantErr error
	}{
		{"delta before key frame is skipped", delta, 0, false, nil},
		{"empty frame", nil, 0, true, record.ErrEmptyFrame},
		{"too large", make([]byte, record.MaxFrameSize+1), 0, true, record.ErrFrameTooLarge},
		{"first key frame", key, 9000, true, nil},
		{"delta", delta, 12600, false, nil},
		{"backwards", delta, 10000, false, nil},
		{"ts before the first frame", delta, 100, false, nil},
		{"smaller key frame", vp8Resized(key, 200, 150), 20000, true, nil},
	}
	for _, s := range steps {
		if err := r.WriteVideo(s.frame, s.ts, s.key); !errors.Is(err, s.wantErr) {
			t.Errorf("%s: got %v, want %v", s.name, err, s.wantErr)
		}
	}
	m, err := r.Close("")
	if err != nil {
		t.Fatal(err)
	}
	v := m.Video
	if v.Frames != 5 || v.SkippedBeforeKeyframe != 1 || v.Refused != 2 || v.TimestampBackwards != 2 || v.ResolutionChanges != 1 || v.Keyframes != 2 {
		t.Errorf("video stats %+v", v)
	}
	_, got := readIVF(t, filepath.Join(dir, record.VideoName))
	want := []uint64{0, 40, 11, 0, 122}
	for i := range got {
		if got[i].ms != want[i] {
			t.Errorf("frame %d at %d ms, want %d", i, got[i].ms, want[i])
		}
	}
	if m.EndReason != record.EndNormal {
		t.Errorf("end reason %q, want normal", m.EndReason)
	}
}

// vp8Resized returns a copy of a key frame with another size in its
// header (enough for the recorder, which only reads the header).
func vp8Resized(key []byte, w, h int) []byte {
	b := append([]byte(nil), key...)
	b[6], b[7] = byte(w), byte(w>>8)
	b[8], b[9] = byte(h), byte(h>>8)
	return b
}
