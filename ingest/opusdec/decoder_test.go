package opusdec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/ingest/opusdec"
)

// encodings are the libopus settings the reference test covers. Browsers
// send 48 kHz Opus in 20 ms packets, mono at ~32 kbit/s with in-band FEC
// (Chrome's defaults); the others reach every mode and frame size a sender
// may switch to.
var encodings = []struct {
	name   string
	source func(testing.TB, string) string
	args   []string
	mode   opusdec.Mode // the mode most packets must use, so each mode is tested
}{
	{"voip-32k-fec", monoSpeech, []string{"-application", "voip", "-b:a", "32k", "-fec", "1", "-packet_loss", "10"}, opusdec.ModeHybrid},
	{"voip-12k-silk", monoSpeech, []string{"-application", "voip", "-b:a", "12k"}, opusdec.ModeSILK},
	{"silk-60ms", monoSpeech, []string{"-application", "voip", "-b:a", "10k", "-frame_duration", "60"}, opusdec.ModeSILK},
	{"audio-64k-celt", monoSpeech, []string{"-application", "audio", "-b:a", "64k"}, opusdec.ModeCELT},
	{"lowdelay-10ms", monoSpeech, []string{"-application", "lowdelay", "-b:a", "48k", "-frame_duration", "10"}, opusdec.ModeCELT},
	{"stereo-64k", stereoSpeech, []string{"-application", "audio", "-b:a", "64k"}, opusdec.ModeCELT},
	{"stereo-voip-32k", stereoSpeech, []string{"-application", "voip", "-b:a", "32k"}, opusdec.ModeHybrid},
	{"mode-switch", speechAndTones, []string{"-application", "audio", "-b:a", "32k"}, opusdec.ModeHybrid},
	{"stereo-voip-wb-silk", stereoSpeech, []string{"-application", "voip", "-b:a", "32k", "-cutoff", "8000"}, opusdec.ModeSILK},
}

// minSNR is the agreement with libopus every encoding must reach. pion/opus
// follows the RFC 6716 reference decoder closely; the measured worst case
// is logged by the test and recorded in doc.go.
const minSNR = 45.0

// TestDecodeMatchesLibopus decodes real speech encoded by libopus and
// compares it, sample by sample, with libopus's own decode of the same file
// (through ffmpeg).
func TestDecodeMatchesLibopus(t *testing.T) {
	for _, tc := range encodings {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, encode(t, tc.source(t, t.TempDir()), tc.args...))
			modes := map[opusdec.Mode]int{}
			stereo := 0
			for _, p := range s.packets {
				info, _ := opusdec.ParsePacket(p)
				modes[info.Mode]++
				if info.Stereo {
					stereo++
				}
			}
			if modes[tc.mode]*2 < len(s.packets) {
				t.Errorf("modes %v: fewer than half of %d packets are %v", modes, len(s.packets), tc.mode)
			}
			if wantStereo := strings.HasPrefix(tc.name, "stereo"); wantStereo != (stereo > 0) {
				t.Errorf("%d stereo packets among %d, want stereo=%v", stereo, len(s.packets), wantStereo)
			}
			if wantSwitch := tc.name == "mode-switch"; wantSwitch != (len(modes) > 1) {
				t.Errorf("modes %v, want a mode switch=%v", modes, wantSwitch)
			}
			got := decodeAll(t, s)
			if d := len(got) - len(s.ref); d < 0 || d > 5760 {
				t.Errorf("decoded %d samples after pre-skip, libopus %d", len(got), len(s.ref))
			}
			if lag := bestLag(s.ref, got, 480); lag != 0 {
				t.Errorf("best alignment at lag %d, want 0", lag)
			}
			db := snr(s.ref, got)
			t.Logf("%d packets, modes %v, stereo %d: SNR %.1f dB against libopus over %.2f s", len(s.packets), modes, stereo, db, float64(len(s.ref))/opusdec.SampleRate)
			if db < minSNR {
				t.Errorf("SNR %.1f dB, want >= %.0f", db, minSNR)
			}
		})
	}
}

// TestDecodeEmpty checks that empty payloads are skipped silently.
func TestDecodeEmpty(t *testing.T) {
	d := opusdec.NewDecoder()
	for _, p := range [][]byte{nil, {}} {
		got, err := d.Decode(p)
		if err != nil || got != nil {
			t.Errorf("Decode(%v) = %d samples, %v; want nil, nil", p, len(got), err)
		}
	}
	dst := []float32{1, 2}
	got, err := d.AppendDecode(dst, nil)
	if err != nil || len(got) != 2 {
		t.Errorf("AppendDecode(dst, nil) = %v, %v; want dst unchanged", got, err)
	}
	if st := d.Stats(); st.Empty != 3 || st.Packets != 0 || st.Errors != 0 {
		t.Errorf("stats %+v, want 3 empty and nothing else", st)
	}
}

// TestDecodeTOCOnly checks that a packet with a TOC byte and empty frames
// (what DTX and a sender's "no data" frame look like, RFC 6716 §3.2.1)
// decodes to the packet's duration rather than failing.
func TestDecodeTOCOnly(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload []byte
		want    int
	}{
		{"silk-wb-20ms", []byte{0x48}, 960},
		{"hybrid-fb-20ms", []byte{0x78}, 960},
		{"celt-fb-20ms", []byte{0xf8}, 960},
		{"celt-fb-2.5ms", []byte{0xe0}, 120},
		{"silk-nb-60ms-x2", []byte{0x19}, 5760},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := opusdec.NewDecoder().Decode(tc.payload)
			if err != nil || len(got) != tc.want {
				t.Fatalf("Decode = %d samples, %v; want %d, nil", len(got), err, tc.want)
			}
		})
	}
}

// TestDecodeMalformed checks that structurally broken packets are refused
// with ErrCorrupt or ErrTooLarge, and that the decoder then goes on.
func TestDecodeMalformed(t *testing.T) {
	big := make([]byte, opusdec.MaxPayloadSize+1)
	big[0] = 0xfc
	for _, tc := range []struct {
		name    string
		payload []byte
		want    error
	}{
		{"too-large", big, opusdec.ErrTooLarge},
		{"code0-frame-over-1275", append([]byte{0xf8}, make([]byte, 1276)...), opusdec.ErrCorrupt},
		{"code1-odd-payload", []byte{0xf9, 1, 2, 3}, opusdec.ErrCorrupt},
		{"code2-length-overrun", []byte{0xfa, 200, 1, 2}, opusdec.ErrCorrupt},
		{"code2-missing-length", []byte{0xfa}, opusdec.ErrCorrupt},
		{"code3-no-count", []byte{0xfb}, opusdec.ErrCorrupt},
		{"code3-zero-frames", []byte{0xfb, 0x00}, opusdec.ErrCorrupt},
		{"code3-over-120ms", []byte{0x1b, 3}, opusdec.ErrCorrupt}, // 3 × 60 ms
		{"code3-cbr-indivisible", []byte{0xfb, 0x02, 1, 2, 3}, opusdec.ErrCorrupt},
		{"code3-padding-overrun", []byte{0xfb, 0x41, 200}, opusdec.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := opusdec.NewDecoder()
			got, err := d.Decode(tc.payload)
			if !errors.Is(err, tc.want) || got != nil {
				t.Fatalf("Decode = %d samples, %v; want nil, %v", len(got), err, tc.want)
			}
			if st := d.Stats(); st.Errors != 1 {
				t.Errorf("Stats.Errors = %d, want 1", st.Errors)
			}
			if out, err := d.Decode([]byte{0xfc, 0xff, 0xfe}); err != nil || len(out) != 960 {
				t.Errorf("next packet: %d samples, %v; want 960, nil", len(out), err)
			}
		})
	}
}

// TestDecodeRecovers damages real packets the ways a network or a hostile
// sender can (truncation, flipped bytes, garbage) in the middle of a speech
// stream. Each damaged packet must either be refused with ErrCorrupt or
// decode to its TOC's duration (Opus cannot detect every truncation: a
// code-0 frame's length is implicit), and the stream after it must decode
// without error and come back to the reference: from 200 ms after the
// damage on, the SNR against libopus's clean decode must be within reach
// of the clean figure.
func TestDecodeRecovers(t *testing.T) {
	dir := t.TempDir()
	s := load(t, encode(t, monoSpeech(t, dir), "-application", "voip", "-b:a", "32k"))
	clean := decodeAll(t, s)
	const at = 100 // damage packet 100 (2 s in, mid-speech)
	if len(s.packets) < at+60 {
		t.Fatalf("only %d packets", len(s.packets))
	}
	for _, tc := range []struct {
		name        string
		fn          func([]byte) []byte
		wantRefused bool
	}{
		{"truncated-half", func(p []byte) []byte { return p[:len(p)/2] }, false},
		{"truncated-toc", func(p []byte) []byte { return p[:1] }, false},
		{"bit-flips", func(p []byte) []byte {
			q := append([]byte(nil), p...)
			for i := 1; i < len(q); i += 3 {
				q[i] ^= 0xa5
			}
			return q
		}, false},
		{"garbage-code3", func([]byte) []byte { return []byte{0xfb, 0xc5, 0xff, 0xff, 0x01} }, true},
		{"wrong-mode-toc", func(p []byte) []byte {
			q := append([]byte(nil), p...)
			q[0] = 0xfc // claim CELT FB over a hybrid frame
			return q
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := tc.fn
			d := opusdec.NewDecoder()
			var out []float32
			refused := 0
			for i, p := range s.packets {
				if i == at {
					p = fn(p)
				}
				info, perr := opusdec.ParsePacket(p)
				before := len(out)
				var err error
				out, err = d.AppendDecode(out, p)
				switch {
				case err != nil && i == at && errors.Is(err, opusdec.ErrCorrupt):
					refused++
					out = append(out, d.Lost(1)...) // keep time aligned, as the RTP reader would
				case err != nil:
					t.Fatalf("packet %d: %v", i, err)
				case perr == nil && len(out)-before != info.Samples:
					t.Fatalf("packet %d: %d samples, TOC says %d", i, len(out)-before, info.Samples)
				}
			}
			out = out[s.preSkip:]
			start := at*960 - s.preSkip + 960*10 // 200 ms after the damaged packet
			after, base := snr(s.ref[start:], out[start:]), snr(s.ref[start:], clean[start:])
			t.Logf("refused %d; SNR from 200 ms after damage: %.1f dB (clean %.1f dB)", refused, after, base)
			if (refused == 1) != tc.wantRefused {
				t.Errorf("refused %d, want refused=%v", refused, tc.wantRefused)
			}
			if after < base-6 {
				t.Errorf("SNR after recovery %.1f dB, want within 6 dB of clean %.1f dB", after, base)
			}
		})
	}
}

// TestLost checks the length and cap of concealment silence.
func TestLost(t *testing.T) {
	d := opusdec.NewDecoder()
	if got := d.Lost(0); got != nil {
		t.Errorf("Lost(0) = %d samples, want nil", len(got))
	}
	if got := d.Lost(2); len(got) != 2*opusdec.DefaultPacketSamples {
		t.Errorf("Lost(2) before any packet = %d, want %d", len(got), 2*opusdec.DefaultPacketSamples)
	}
	if _, err := d.Decode([]byte{0xf0}); err != nil { // CELT FB 10 ms, TOC only
		t.Fatal(err)
	}
	if got := d.Lost(3); len(got) != 3*480 {
		t.Errorf("Lost(3) after a 10 ms packet = %d, want %d", len(got), 3*480)
	}
	if got := d.Lost(1 << 40); len(got) != opusdec.MaxLostSamples {
		t.Errorf("Lost(huge) = %d, want cap %d", len(got), opusdec.MaxLostSamples)
	}
	for _, v := range d.Lost(5) {
		if v != 0 {
			t.Fatal("Lost returned a non-zero sample")
		}
	}
}
