package record_test

import (
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/ingest/record"
)

// TestAudioSpeechGap records real speech in 20 ms chunks with 48 kHz RTP
// timestamps (wrapping), losing 500 ms of packets, and checks the WAV read
// back with go-audio/wav: same length as the source (the gap filled with
// silence), the same samples everywhere else.
func TestAudioSpeechGap(t *testing.T) {
	checkRoutines(t)
	src := speech(t)
	const chunk = 960 // 20 ms
	n := len(src) / chunk
	src = src[:n*chunk]
	const base = uint32(1<<32 - 24000) // wraps after 0.5 s
	gapFrom, gapTo := 40, 65           // 25 chunks = 500 ms lost
	if n < gapTo+10 {
		t.Fatalf("speech too short: %d chunks", n)
	}
	dir := t.TempDir()
	r, err := record.Create(dir, record.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if i >= gapFrom && i < gapTo {
			continue
		}
		if err := r.WriteAudio(toFloat(src[i*chunk:(i+1)*chunk]), base+uint32(i*chunk)); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
	}
	m, err := r.Close(record.EndPeerLost)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(src)
	clear(want[gapFrom*chunk : gapTo*chunk])

	path := filepath.Join(dir, record.AudioName)
	got, _ := readWAV(t, path)
	if len(got) != len(want) {
		t.Fatalf("WAV has %d samples, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d = %d, want %d", i, got[i], want[i])
		}
	}
	a := m.Audio
	if a.Gaps != 1 || a.SilenceSamples != int64((gapTo-gapFrom)*chunk) || a.Packets != int64(n-(gapTo-gapFrom)) || a.Samples != int64(len(want)) {
		t.Errorf("audio stats %+v", a)
	}
	if d := probeDuration(t, path); math.Abs(d-float64(len(want))/48000) > 0.001 {
		t.Errorf("ffprobe duration %.4f s, want %.4f", d, float64(len(want))/48000)
	}
	if sum, size := sha256File(t, path); a.SHA256 != sum || a.Size != size {
		t.Errorf("manifest audio %d %s, file %d %s", a.Size, a.SHA256, size, sum)
	}
	if m.EndReason != record.EndPeerLost {
		t.Errorf("end reason %q", m.EndReason)
	}
}

// TestAudioTimeline checks the gap policy chunk by chunk: each chunk is
// filled with its own value, so the WAV shows where each one landed.
func TestAudioTimeline(t *testing.T) {
	type chunk struct {
		at  int64 // RTP timestamp offset from the first chunk, samples
		len int
	}
	// seg is a run of one value in the expected WAV (value 0 = silence).
	type seg struct {
		val int16
		n   int
	}
	const wrapBase = uint32(1<<32 - 960)
	cases := []struct {
		name   string
		base   uint32
		maxGap time.Duration
		chunks []chunk
		want   []seg
		check  func(record.AudioStats) bool
	}{
		{"contiguous", 0, 0, []chunk{{0, 960}, {960, 960}, {1920, 960}},
			[]seg{{1, 960}, {2, 960}, {3, 960}},
			func(a record.AudioStats) bool { return a.Gaps == 0 && a.Samples == 2880 }},
		{"one lost 20 ms packet is filled", 0, 0, []chunk{{0, 960}, {960, 960}, {2880, 960}},
			[]seg{{1, 960}, {2, 960}, {0, 960}, {3, 960}},
			func(a record.AudioStats) bool { return a.Gaps == 1 && a.SilenceSamples == 960 }},
		{"3 ms jitter is ignored", 0, 0, []chunk{{0, 960}, {960 + 144, 960}},
			[]seg{{1, 960}, {2, 960}},
			func(a record.AudioStats) bool { return a.Gaps == 0 }},
		{"jitter that accumulates past 10 ms is corrected", 0, 0, []chunk{{0, 960}, {960 + 300, 960}, {1920 + 600, 960}},
			[]seg{{1, 960}, {2, 960}, {0, 600}, {3, 960}},
			func(a record.AudioStats) bool { return a.Gaps == 1 && a.SilenceSamples == 600 }},
		{"duplicate chunk is dropped", 0, 0, []chunk{{0, 960}, {960, 960}, {960, 960}, {1920, 960}},
			[]seg{{1, 960}, {2, 960}, {4, 960}},
			func(a record.AudioStats) bool { return a.LateChunks == 1 && a.Packets == 3 }},
		{"overlap loses its head", 0, 0, []chunk{{0, 960}, {960, 960}, {1320, 960}},
			[]seg{{1, 960}, {2, 960}, {3, 360}},
			func(a record.AudioStats) bool { return a.Overlaps == 1 && a.TrimmedSamples == 600 }},
		{"gap over the cap is capped", 0, 100 * time.Millisecond, []chunk{{0, 960}, {960 + 10000, 960}, {1920 + 10000, 960}},
			[]seg{{1, 960}, {0, 4800}, {2, 960}, {3, 960}},
			func(a record.AudioStats) bool {
				return a.Gaps == 1 && a.Discontinuities == 1 && a.UnfilledSamples == 5200 && a.SilenceSamples == 4800
			}},
		{"clock restart far back", 0, 100 * time.Millisecond, []chunk{{0, 960}, {960, 960}, {-48000, 960}, {-47040, 960}},
			[]seg{{1, 960}, {2, 960}, {3, 960}, {4, 960}},
			func(a record.AudioStats) bool { return a.Discontinuities == 1 && a.Gaps == 0 }},
		{"wrap around 2^32", wrapBase, 0, []chunk{{0, 960}, {960, 960}, {1920, 960}},
			[]seg{{1, 960}, {2, 960}, {3, 960}},
			func(a record.AudioStats) bool { return a.Gaps == 0 && a.Samples == 2880 }},
		{"odd chunk sizes", 0, 0, []chunk{{0, 120}, {120, 480}, {600, 2880}},
			[]seg{{1, 120}, {2, 480}, {3, 2880}},
			func(a record.AudioStats) bool { return a.Gaps == 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkRoutines(t)
			dir := t.TempDir()
			r, err := record.Create(dir, record.Config{MaxAudioGap: c.maxGap})
			if err != nil {
				t.Fatal(err)
			}
			for i, ch := range c.chunks {
				pcm := make([]float32, ch.len)
				for j := range pcm {
					pcm[j] = float32(i+1) * 100 / 32768
				}
				if err := r.WriteAudio(pcm, c.base+uint32(int32(ch.at))); err != nil {
					t.Fatal(err)
				}
			}
			m, err := r.Close("")
			if err != nil {
				t.Fatal(err)
			}
			var want []int16
			for _, s := range c.want {
				for range s.n {
					want = append(want, s.val*100)
				}
			}
			got, _ := readWAV(t, filepath.Join(dir, record.AudioName))
			if !slices.Equal(got, want) {
				t.Errorf("WAV runs %v, want %v", runs(got), c.want)
			}
			if !c.check(m.Audio) {
				t.Errorf("stats %+v", m.Audio)
			}
		})
	}
}

// runs summarises samples as value×count runs for error messages.
func runs(s []int16) [][2]int {
	var out [][2]int
	for i, v := range s {
		if i > 0 && s[i-1] == v {
			out[len(out)-1][1]++
			continue
		}
		out = append(out, [2]int{int(v) / 100, 1})
	}
	return out
}

// TestAudioClipping checks the float to 16-bit conversion at the edges.
func TestAudioClipping(t *testing.T) {
	checkRoutines(t)
	dir := t.TempDir()
	r, err := record.Create(dir, record.Config{})
	if err != nil {
		t.Fatal(err)
	}
	in := []float32{0, 1, -1, 1.5, -2, float32(math.NaN()), float32(math.Inf(1)), 0.5, -0.5, 1.0 / 32768, -32767.0 / 32768}
	want := []int16{0, 32767, -32768, 32767, -32768, 0, 32767, 16384, -16384, 1, -32767}
	if err := r.WriteAudio(in, 0); err != nil {
		t.Fatal(err)
	}
	m, err := r.Close("")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := readWAV(t, filepath.Join(dir, record.AudioName))
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if m.Audio.ClippedSamples != 4 {
		t.Errorf("clipped %d, want 4 (1.5, -2, NaN, +Inf)", m.Audio.ClippedSamples)
	}
}
