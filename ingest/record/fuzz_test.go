package record_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/ingest/record"
)

// FuzzRecover runs Recover over arbitrary video.ivf, audio.wav and
// session.json contents (an empty manifest input means no manifest).
// Bits of mode stamp a valid IVF (1) and WAV (2) header over the inputs,
// sizes and counts left as fuzzed, so the fuzzer reaches the frame walk
// and the size repair instead of stopping at the signature checks. It
// must never panic, and when it recovers a session the result must be
// consistent: a finalised manifest whose hashes match, an IVF that pion's
// reader reads to the end with the manifest's frame count, a WAV that
// go-audio reads with the manifest's sample count.
func FuzzRecover(f *testing.F) {
	ivf, wavb, manifest := seedSession(f)
	goodIVF, goodWAV := ivf[:32], wavb[:44]
	f.Add(byte(0), ivf, wavb, manifest)
	f.Add(byte(3), ivf, wavb, []byte{})
	f.Add(byte(0), ivf[:40], wavb[:45], manifest)
	f.Add(byte(3), append(append([]byte{}, ivf...), 0xff, 0xff, 0xff, 0x7f, 1, 2, 3), wavb, manifest)
	corrupt := append([]byte{}, ivf...)
	corrupt[24], corrupt[25] = 0xff, 0xff // frame count
	f.Add(byte(0), corrupt, wavb, manifest)
	badSize := append([]byte{}, ivf...)
	badSize[32], badSize[33], badSize[34], badSize[35] = 0xff, 0xff, 0xff, 0xff // first frame size
	f.Add(byte(1), badSize, wavb, manifest)
	f.Add(byte(0), ivf, wavb, []byte(`{"schema":"unmask.record.session","schema_version":1,"video":{"file":"video.ivf"},"audio":{"file":"audio.wav"},"end_reason":"normal"}`))
	f.Add(byte(0), ivf, wavb, []byte(`{"schema":"unmask.record.session","schema_version":1,"video":{"file":"video.ivf"},"audio":{"file":"audio.wav"},"start":"2025-13-01T00:00:00Z"}`))
	f.Add(byte(0), ivf, wavb, []byte(`{"schema":"unmask.record.session","schema_version":99}`))
	f.Add(byte(0), []byte("DKIF"), []byte("RIFF"), []byte("null"))
	f.Add(byte(3), make([]byte, 100), make([]byte, 47), []byte{})
	f.Fuzz(func(t *testing.T, mode byte, ivf, wavb, manifest []byte) {
		if mode&1 != 0 && len(ivf) >= 32 {
			copy(ivf[:24], goodIVF) // all but frame count and reserved
		}
		if mode&2 != 0 && len(wavb) >= 44 {
			copy(wavb[:4], goodWAV)
			copy(wavb[8:40], goodWAV[8:40]) // all but the two sizes
		}
		dir := t.TempDir()
		write := func(name string, b []byte) {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		write(record.VideoName, ivf)
		write(record.AudioName, wavb)
		if len(manifest) > 0 {
			write(record.ManifestName, manifest)
		}
		pre, preErr := record.ReadManifest(dir)
		m, err := record.Recover(dir)
		if err != nil {
			if !errors.Is(err, record.ErrCorrupt) && !errors.Is(err, record.ErrNotSession) {
				t.Fatalf("Recover: unexpected error class: %v", err)
			}
			return
		}
		if !m.Finalised() {
			t.Fatalf("Recover returned an unfinalised manifest: %+v", m)
		}
		if preErr == nil && pre.Finalised() {
			return // a no-op on a (claimed) finalised session
		}
		if _, err := record.Verify(dir); err != nil {
			t.Fatalf("Verify after Recover: %v", err)
		}
		h, frames := readIVF(t, filepath.Join(dir, record.VideoName))
		if int64(len(frames)) != m.Video.Frames || int64(h.NumFrames) != m.Video.Frames {
			t.Fatalf("IVF: %d frames, header %d, manifest %d", len(frames), h.NumFrames, m.Video.Frames)
		}
		samples, _ := readWAV(t, filepath.Join(dir, record.AudioName))
		if int64(len(samples)) != m.Audio.Samples {
			t.Fatalf("WAV: %d samples, manifest %d", len(samples), m.Audio.Samples)
		}
		again, err := record.Recover(dir)
		if err != nil || again.Video.SHA256 != m.Video.SHA256 {
			t.Fatalf("second Recover: %v", err)
		}
	})
}

// FuzzReadManifest parses arbitrary session.json contents: no panic, and
// whatever parses is recognised as a session.
func FuzzReadManifest(f *testing.F) {
	_, _, manifest := seedSession(f)
	f.Add(manifest)
	f.Add([]byte(`{"schema":"unmask.record.session","schema_version":1,"video":{"file":"video.ivf"},"audio":{"file":"audio.wav"},"device":{"a":[1,2,{"b":null}]}}`))
	f.Add([]byte(`{"schema":"unmask.record.session","schema_version":1,"end":12}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, record.ManifestName), b, 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := record.ReadManifest(dir)
		if err != nil {
			if !errors.Is(err, record.ErrCorrupt) {
				t.Fatalf("unexpected error class: %v", err)
			}
			return
		}
		if !record.IsSession(dir) {
			t.Fatal("a readable manifest is not a session")
		}
		_ = m.Finalised()
	})
}

// seedSession records a small session from synthetic frames (the
// recorder does not decode them; fuzz workers start fast without ffmpeg)
// and returns its unfinalised files: what a crash leaves.
func seedSession(f *testing.F) (ivf, wavb, manifest []byte) {
	dir := filepath.Join(f.TempDir(), "seed")
	r, err := record.Create(dir, record.Config{DeviceFacts: []byte(`{"seed":true}`)})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 3 {
		frame := []byte{0x51, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, byte(i), 0xaa, 0xbb}
		if i > 0 {
			frame[0] |= 1 // inter frame
		}
		if err := r.WriteVideo(frame, uint32(i*3600), i == 0); err != nil {
			f.Fatal(err)
		}
		pcm := make([]float32, 480)
		for j := range pcm {
			pcm[j] = float32(math.Sin(float64(i*480+j) * 0.05))
		}
		if err := r.WriteAudio(pcm, uint32(i*480)); err != nil {
			f.Fatal(err)
		}
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	ivf, wavb, manifest = read(record.VideoName), read(record.AudioName), read(record.ManifestName)
	if _, err := r.Close(""); err != nil {
		f.Fatal(err)
	}
	return ivf, wavb, manifest
}
