package record_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/ingest/record"
)

// The call's clock must survive Close and a crash, or a replay would put
// the voice in the wrong place.
func TestClockIsKept(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	r, err := record.Create(dir, record.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.WriteVideo([]byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x90, 0x01, 0x2c, 0x01, 0, 0}, 1000, true); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteAudio(make([]float32, 960), 5000); err != nil {
		t.Fatal(err)
	}
	want := record.Clock{VideoStartMS: 12, AudioStartMS: 47}
	r.SetClock(want)
	m, err := r.Close("normal")
	if err != nil {
		t.Fatal(err)
	}
	if m.Clock == nil || *m.Clock != want {
		t.Fatalf("closed manifest clock %+v, want %+v", m.Clock, want)
	}
	back, err := record.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Clock == nil || *back.Clock != want {
		t.Fatalf("manifest on disk: clock %+v, want %+v", back.Clock, want)
	}
}

// H.264 access units are kept as received in an IVF tagged H264, and a
// crash leaves a recording Recover accepts.
func TestH264IsTaggedAndRecoverable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	r, err := record.Create(dir, record.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// The codec is known when the track arrives, after Create.
	if err := r.SetVideoCodec("H264/90000"); err != nil {
		t.Fatal(err)
	}
	au := []byte{0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0, 0, 0, 1, 0x65, 0x88, 0x84}
	for i := 0; i < 3; i++ {
		if err := r.WriteVideo(au, uint32(3000*i), i == 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.SetVideoCodec("VP8/90000"); err == nil {
		t.Fatal("the codec changed after frames were written")
	}
	m, err := r.Close("normal")
	if err != nil {
		t.Fatal(err)
	}
	if m.Video.Codec != "H264/90000" {
		t.Fatalf("manifest codec %q", m.Video.Codec)
	}
	b, err := os.ReadFile(filepath.Join(dir, record.VideoName))
	if err != nil {
		t.Fatal(err)
	}
	if string(b[8:12]) != "H264" || !bytes.Contains(b, au) {
		t.Fatalf("IVF tag %q, frames kept %v", b[8:12], bytes.Contains(b, au))
	}
	if m, err := record.Verify(dir); err != nil || m.Video.Frames != 3 {
		t.Fatalf("verify: %v, %d frames", err, m.Video.Frames)
	}
}
