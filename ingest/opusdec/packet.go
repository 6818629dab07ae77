package opusdec

import "fmt"

// Limits of one packet, from RFC 6716.
const (
	// SampleRate is the rate of every sample Decode returns: Opus always
	// runs its CELT layer at 48 kHz and WebRTC signals Opus as 48000/2.
	SampleRate = 48000

	// MaxPacketSamples is the longest packet Opus allows, 120 ms (RFC 6716
	// §3.2.5 [R5]), at SampleRate. Decode never returns more per packet.
	MaxPacketSamples = SampleRate * 120 / 1000

	// MaxPayloadSize bounds the bytes Decode accepts: a 120 ms packet of six
	// maximum-size 20 ms frames (6×1275 bytes, RFC 6716 §3.2.1) plus its
	// header fits with room to spare, while RTP payloads over UDP stay under
	// ~1200 bytes in practice.
	MaxPayloadSize = 8 << 10
)

// frameSamples is the duration of one frame at 48 kHz for each of the 32
// configurations of the TOC byte (RFC 6716 §3.1, Table 2): SILK-only NB, MB
// and WB at 10/20/40/60 ms, Hybrid SWB and FB at 10/20 ms, CELT-only NB, WB,
// SWB and FB at 2.5/5/10/20 ms.
var frameSamples = [32]int{
	480, 960, 1920, 2880, // SILK NB
	480, 960, 1920, 2880, // SILK MB
	480, 960, 1920, 2880, // SILK WB
	480, 960, // Hybrid SWB
	480, 960, // Hybrid FB
	120, 240, 480, 960, // CELT NB
	120, 240, 480, 960, // CELT WB
	120, 240, 480, 960, // CELT SWB
	120, 240, 480, 960, // CELT FB
}

// Mode is the Opus operating mode of a packet (RFC 6716 §2).
type Mode uint8

// The three operating modes.
const (
	ModeSILK   Mode = iota // SILK-only: linear-prediction speech codec, NB to WB
	ModeHybrid             // SILK below 8 kHz plus CELT above, SWB or FB
	ModeCELT               // CELT-only: MDCT codec, used for music and low delay
)

// String returns "silk", "hybrid" or "celt".
func (m Mode) String() string {
	switch m {
	case ModeSILK:
		return "silk"
	case ModeHybrid:
		return "hybrid"
	case ModeCELT:
		return "celt"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// PacketInfo is what the first bytes of an Opus packet say about it.
type PacketInfo struct {
	Mode    Mode
	Stereo  bool // the packet codes two channels
	Frames  int  // frames in the packet, 1..48
	Samples int  // duration at 48 kHz per channel, at most MaxPacketSamples
}

// ParsePacket reads the TOC byte and, for code-3 packets, the frame count
// byte of an Opus packet (RFC 6716 §3.1-3.2) without decoding it. It
// returns ErrCorrupt for an empty payload, a code-3 packet without its
// count byte, zero frames, or more than 120 ms of audio. It does not check
// frame lengths; Decode does. ParsePacket does not retain payload.
func ParsePacket(payload []byte) (PacketInfo, error) {
	if len(payload) == 0 {
		return PacketInfo{}, fmt.Errorf("%w: empty packet has no TOC byte", ErrCorrupt)
	}
	toc := payload[0]
	cfg := toc >> 3
	info := PacketInfo{Stereo: toc&0x04 != 0}
	switch {
	case cfg < 12:
		info.Mode = ModeSILK
	case cfg < 16:
		info.Mode = ModeHybrid
	default:
		info.Mode = ModeCELT
	}
	switch toc & 0x03 {
	case 0:
		info.Frames = 1
	case 1, 2:
		info.Frames = 2
	case 3:
		if len(payload) < 2 {
			return PacketInfo{}, fmt.Errorf("%w: code 3 packet without frame count byte", ErrCorrupt)
		}
		info.Frames = int(payload[1] & 0x3f)
		if info.Frames == 0 {
			return PacketInfo{}, fmt.Errorf("%w: code 3 packet with zero frames", ErrCorrupt)
		}
	}
	info.Samples = info.Frames * frameSamples[cfg]
	if info.Samples > MaxPacketSamples {
		return PacketInfo{}, fmt.Errorf("%w: %d frames of %d samples exceed 120 ms", ErrCorrupt, info.Frames, frameSamples[cfg])
	}
	return info, nil
}
