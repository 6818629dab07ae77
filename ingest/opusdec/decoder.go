package opusdec

import (
	"fmt"

	"github.com/pion/opus"
)

// DefaultPacketSamples is the packet duration Lost assumes before any
// packet has decoded: 20 ms, what browsers send (RFC 7587 §4.2 recommends
// it and Chrome uses it).
const DefaultPacketSamples = SampleRate / 50

// MaxLostSamples bounds the silence one call to Lost returns (1 s). A
// longer gap is a stalled stream, not packet loss; the caller's clock
// handles it.
const MaxLostSamples = SampleRate

// Stats counts what a Decoder has seen since it was made.
type Stats struct {
	Packets     int64 // packets decoded
	Samples     int64 // samples returned by Decode, not counting Lost
	Empty       int64 // empty payloads skipped
	Errors      int64 // payloads rejected with ErrCorrupt or ErrTooLarge
	Panics      int64 // of Errors, panics recovered inside pion/opus
	LostSamples int64 // samples of silence returned by Lost
}

// Decoder turns the Opus payloads of one RTP stream into 48 kHz mono PCM.
// Stereo packets are down-mixed to the mean of both channels.
//
// A Decoder keeps state between packets (Opus frames overlap), so it
// serves one stream in order and is not safe for concurrent use. It owns
// no goroutines or OS resources and needs no Close.
type Decoder struct {
	dec     opus.Decoder
	scratch []float32 // MaxPacketSamples: every packet fits, see ParsePacket
	last    int       // samples in the last decoded packet, for Lost
	stats   Stats
}

// NewDecoder returns a Decoder ready for the first packet. It allocates
// about 25 KiB of scratch once.
func NewDecoder() *Decoder {
	d := &Decoder{scratch: make([]float32, MaxPacketSamples), last: DefaultPacketSamples}
	d.Reset()
	return d
}

// Reset forgets all decoder state, as for a new stream. Stats are kept.
func (d *Decoder) Reset() {
	d.resetCodec()
	d.last = DefaultPacketSamples
}

// resetCodec starts pion/opus afresh after it rejected a packet, whose
// partial decode may have left its state inconsistent.
func (d *Decoder) resetCodec() {
	// 48 kHz mono is always a valid output format, so the error is nil.
	dec, _ := opus.NewDecoderWithOutput(SampleRate, 1)
	d.dec = dec
}

// Decode decodes one Opus packet (an RTP payload, RFC 7587) into a new
// slice of 48 kHz mono samples in [-1, 1], at most MaxPacketSamples long.
//
// An empty payload returns (nil, nil): Chrome sends RTP packets with no
// payload (padding used for bandwidth probing), and they carry no audio and
// take no time. A payload longer than MaxPayloadSize returns ErrTooLarge; a
// malformed packet returns an error wrapping ErrCorrupt, and the next
// packet decodes normally: a packet refused by its header never reaches
// the codec, and one the codec rejects resets it (so the next packet's
// first few milliseconds may differ from a continuous decode). Decode does
// not retain payload.
func (d *Decoder) Decode(payload []byte) ([]float32, error) {
	return d.AppendDecode(nil, payload)
}

// AppendDecode is Decode that appends the samples to dst and returns the
// extended slice; on error or an empty payload dst is returned unchanged.
// With enough capacity in dst it does not allocate.
func (d *Decoder) AppendDecode(dst []float32, payload []byte) ([]float32, error) {
	if len(payload) == 0 {
		d.stats.Empty++
		return dst, nil
	}
	if len(payload) > MaxPayloadSize {
		d.stats.Errors++
		return dst, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(payload), MaxPayloadSize)
	}
	info, err := ParsePacket(payload)
	if err != nil {
		d.stats.Errors++
		return dst, err
	}
	n, err := d.decode(payload)
	if err == nil && n != info.Samples {
		// pion/opus and the TOC disagree on the duration: trust neither.
		err = fmt.Errorf("decoded %d samples, TOC says %d", n, info.Samples)
	}
	if err != nil {
		d.stats.Errors++
		d.resetCodec()
		return dst, fmt.Errorf("%w: %s packet of %d bytes: %w", ErrCorrupt, info.Mode, len(payload), err)
	}
	d.stats.Packets++
	d.stats.Samples += int64(n)
	d.last = n
	start := len(dst)
	dst = append(dst, d.scratch[:n]...)
	clampSamples(dst[start:])
	return dst, nil
}

// clampSamples keeps s in [-1, 1], the range every analysis stage assumes.
// A float Opus decode can overshoot full scale slightly on loud input
// (libopus soft-clips only its 16-bit output), and NaN, which a correct
// decoder never produces, becomes 0.
func clampSamples(s []float32) {
	for i, v := range s {
		switch {
		case v > 1:
			s[i] = 1
		case v < -1:
			s[i] = -1
		case v != v:
			s[i] = 0
		}
	}
}

// decode runs pion/opus on one packet. pion/opus is v0.1 and meets
// untrusted network input here, so a panic inside it becomes an error
// (and a count in Stats) instead of taking the process down.
func (d *Decoder) decode(payload []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			d.stats.Panics++
			n, err = 0, fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return d.dec.DecodeToFloat32(payload, d.scratch)
}

// Lost returns silence standing in for packets lost in transit (the caller
// sees the gap in RTP sequence numbers): packets times the duration of the
// last decoded packet (DefaultPacketSamples before the first), at most
// MaxLostSamples. pion/opus has no packet loss concealment, so a gap is
// filled with zeros rather than libopus's extrapolated audio; analysis
// stays aligned in time, and a short silence is what a listener would
// notice anyway. The decoder state is kept, so the next packet's 2.5 ms
// overlap is blended with the audio before the gap.
func (d *Decoder) Lost(packets int) []float32 {
	if packets <= 0 {
		return nil
	}
	n := MaxLostSamples
	if packets < MaxLostSamples/d.last {
		n = packets * d.last
	}
	d.stats.LostSamples += int64(n)
	return make([]float32, n)
}

// Stats returns the counters so far.
func (d *Decoder) Stats() Stats { return d.stats }
