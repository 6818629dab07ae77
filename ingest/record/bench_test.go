package record_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/testdata/clips"
)

var (
	benchOnce   sync.Once
	benchFrames []frame
	benchErr    error
)

// webrtcFrames returns 3 s of clips.Cap13 as VP8 asked for 2 Mbit/s.
// libvpx reaches about 320 kbit/s on this 400x300 clip (1.6 KB a frame,
// three times the default rate's); with 96 KB/s of audio a media second is
// about 136 KB. The cost per media second is mostly the 75 pwrite calls,
// so a 2.5 Mbit/s 720p stream costs little more.
func webrtcFrames(b *testing.B) []frame {
	benchOnce.Do(func() {
		benchFrames, benchErr = encodeClip(clips.Path(b, clips.Cap13), filepath.Join(cacheDir, "bench.ivf"), "2M")
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFrames
}

// BenchmarkWriteMediaSecond records one second of media per iteration:
// 25 real VP8 frames (WriteVideo) and 50 chunks of 20 ms of real speech
// (WriteAudio), with the background fsync every 2 s running.
func BenchmarkWriteMediaSecond(b *testing.B) {
	frames := webrtcFrames(b)
	pcm := toFloat(speech(b))
	var perSecond int64
	for i := range 25 {
		perSecond += int64(len(frames[i%len(frames)].data) + 12)
	}
	perSecond += 50 * 960 * 2
	r, err := record.Create(filepath.Join(b.TempDir(), "bench"), record.Config{MaxBytes: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(perSecond)
	b.ReportAllocs()
	b.ResetTimer()
	v, a := 0, 0
	for range b.N {
		for range 25 {
			f := frames[v%len(frames)]
			if err := r.WriteVideo(f.data, uint32(v*3600), f.key); err != nil {
				b.Fatal(err)
			}
			v++
			for range 2 {
				k := a % 50
				if err := r.WriteAudio(pcm[k*960:(k+1)*960], uint32(a*960)); err != nil {
					b.Fatal(err)
				}
				a++
			}
		}
	}
	b.StopTimer()
	if _, err := r.Close(""); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRecover recovers a one-minute session (about 8 MB): scan,
// repair, fsync, hash both files, write the manifest.
func BenchmarkRecover(b *testing.B) {
	frames := webrtcFrames(b)
	pcm := toFloat(speech(b))
	src := filepath.Join(b.TempDir(), "src")
	r, err := record.Create(src, record.Config{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 60 * 25 {
		f := frames[i%len(frames)]
		r.WriteVideo(f.data, uint32(i*3600), f.key)
		for j := range 2 {
			k := (2*i + j) % 50
			r.WriteAudio(pcm[k*960:(k+1)*960], uint32((2*i+j)*960))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		dir := copySession(b, src)
		b.StartTimer()
		if _, err := record.Recover(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	r.Close("")
}
