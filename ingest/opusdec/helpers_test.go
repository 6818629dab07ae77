package opusdec_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pion/webrtc/v4/pkg/media/oggreader"

	"github.com/unmaskhq/unmask/ingest/opusdec"
)

// Two utterances of real synthetic speech (espeak-ng); the stereo fixture
// puts one in each channel.
const (
	speechA = "The quick brown fox jumps over the lazy dog while the interviewer takes notes."
	speechB = "Please tell me about a project you are proud of and what you learned from it."
)

// stream is an Ogg Opus file made at test time: its packets one per page,
// the pre-skip from OpusHead, and ffmpeg's own decode of it.
type stream struct {
	packets [][]byte
	preSkip int
	ref     []float32 // libopus decode through ffmpeg, 48 kHz, down-mixed to mono
}

// run runs a command and fails the test with its output on error.
func run(tb testing.TB, name string, args ...string) []byte {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %v: %v\n%s (run build/setup.sh)", name, args, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// speechWAV writes text spoken by espeak-ng into dir and returns the path.
func speechWAV(tb testing.TB, dir, name, text string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	run(tb, "espeak-ng", "-w", p, text)
	return p
}

// monoSpeech is speechA then speechB as one WAV.
func monoSpeech(tb testing.TB, dir string) string {
	tb.Helper()
	return speechWAV(tb, dir, "mono.wav", speechA+" "+speechB)
}

// stereoSpeech puts speechA in the left channel and speechB, spoken by a
// different voice, in the right, so the channels really differ.
func stereoSpeech(tb testing.TB, dir string) string {
	tb.Helper()
	a := speechWAV(tb, dir, "left.wav", speechA)
	b := filepath.Join(dir, "right.wav")
	run(tb, "espeak-ng", "-v", "en+f3", "-p", "70", "-w", b, speechB)
	p := filepath.Join(dir, "stereo.wav")
	run(tb, "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", a, "-i", b,
		"-filter_complex", "[0:a][1:a]amerge=inputs=2,aresample=48000", "-ac", "2", p)
	return p
}

// speechAndTones is speech, 2 s of a two-tone chord, then speech again:
// libopus codes the chord with CELT and the speech in Hybrid mode, so the
// stream switches modes (with redundant CELT frames, RFC 6716 §4.5) the way
// a live call does.
func speechAndTones(tb testing.TB, dir string) string {
	tb.Helper()
	speech := monoSpeech(tb, dir)
	p := filepath.Join(dir, "mixed.wav")
	run(tb, "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", speech,
		"-f", "lavfi", "-i", "sine=f=440:d=2", "-f", "lavfi", "-i", "sine=f=660:d=2",
		"-filter_complex", "[1:a][2:a]amix=inputs=2,aresample=22050[m];[0:a][m][0:a]concat=n=3:v=0:a=1", p)
	return p
}

// encode encodes wav to Ogg Opus with libopus and the extra encoder
// arguments. -page_duration 2500 (µs, shorter than any Opus frame)
// flushes a page after every packet, so each page pion's oggreader returns
// is exactly one Opus packet (it does not expose the segment table that
// would split a page into packets).
func encode(tb testing.TB, wav string, extra ...string) string {
	tb.Helper()
	out := filepath.Join(filepath.Dir(wav), "enc.ogg")
	args := []string{"-nostdin", "-v", "error", "-y", "-i", wav, "-c:a", "libopus"}
	args = append(args, extra...)
	args = append(args, "-page_duration", "2500", "-f", "ogg", out)
	run(tb, "ffmpeg", args...)
	return out
}

// load reads the packets of an Ogg Opus file and ffmpeg's libopus decode of
// it. It checks that every page holds one packet: the granule position
// (RFC 7845 §4) must advance by exactly the duration the packet's TOC says.
func load(tb testing.TB, path string) stream {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, head, err := oggreader.NewWith(f)
	if err != nil {
		tb.Fatalf("oggreader: %v", err)
	}
	s := stream{preSkip: int(head.PreSkip)}
	var granule uint64
	for {
		page, hdr, err := r.ParseNextPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("page %d: %v", len(s.packets), err)
		}
		if bytes.HasPrefix(page, []byte("OpusTags")) || bytes.HasPrefix(page, []byte("OpusHead")) {
			continue
		}
		info, err := opusdec.ParsePacket(page)
		if err != nil {
			tb.Fatalf("packet %d: %v", len(s.packets), err)
		}
		// The last page's granule may be trimmed (end padding), so only
		// check that it does not advance by more than the packet.
		if d := hdr.GranulePosition - granule; d > uint64(info.Samples) {
			tb.Fatalf("page %d: granule advanced %d, packet has %d samples: more than one packet per page", len(s.packets), d, info.Samples)
		}
		granule = hdr.GranulePosition
		s.packets = append(s.packets, page)
	}
	if len(s.packets) == 0 {
		tb.Fatalf("%s: no packets", path)
	}
	// -c:a libopus before -i picks libopus as the decoder (ffmpeg's own is
	// the default); ffmpeg applies the pre-skip and the end trim.
	raw := run(tb, "ffmpeg", "-nostdin", "-v", "error", "-c:a", "libopus", "-i", path, "-f", "f32le", "-")
	channels := 1
	if head.Channels == 2 {
		channels = 2
	}
	s.ref = make([]float32, len(raw)/4/channels)
	for i := range s.ref {
		var sum float32
		for c := range channels {
			sum += math.Float32frombits(binary.LittleEndian.Uint32(raw[4*(i*channels+c):]))
		}
		s.ref[i] = max(-1, min(1, sum/float32(channels)))
	}
	return s
}

// decodeAll decodes every packet of s with a fresh Decoder and drops the
// pre-skip, so the result lines up with s.ref.
func decodeAll(tb testing.TB, s stream) []float32 {
	tb.Helper()
	d := opusdec.NewDecoder()
	var out []float32
	for i, p := range s.packets {
		var err error
		if out, err = d.AppendDecode(out, p); err != nil {
			tb.Fatalf("packet %d of %d: %v", i, len(s.packets), err)
		}
	}
	return out[min(s.preSkip, len(out)):]
}

// snr returns the signal-to-noise ratio in dB of got against want over
// their common length.
func snr(want, got []float32) float64 {
	n := min(len(want), len(got))
	var sig, noise float64
	for i := range n {
		w, e := float64(want[i]), float64(want[i])-float64(got[i])
		sig += w * w
		noise += e * e
	}
	if noise == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(sig/noise)
}

// bestLag returns the shift of got against want, within ±maxLag samples,
// that correlates best; 0 means the streams are aligned.
func bestLag(want, got []float32, maxLag int) int {
	n := min(len(want), len(got))
	best, bestC := 0, math.Inf(-1)
	for lag := -maxLag; lag <= maxLag; lag++ {
		var c float64
		for i := max(0, -lag); i < n && i+lag < n; i++ {
			c += float64(want[i]) * float64(got[i+lag])
		}
		if c > bestC {
			best, bestC = lag, c
		}
	}
	return best
}
