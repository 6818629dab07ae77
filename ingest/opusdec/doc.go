// Package opusdec decodes the Opus audio of a WebRTC call (RTP payloads,
// RFC 7587) into 48 kHz mono float32 PCM for the audio analysers, with the
// pure-Go decoder github.com/pion/opus (no cgo, no libopus).
//
// Browsers send Opus at 48 kHz in 20 ms packets, mono or stereo; Chrome
// uses SILK or Hybrid for speech and CELT for music and switches between
// them as bandwidth changes. All three modes, stereo, mode switches, frame
// sizes from 2.5 to 60 ms and code 0-3 packets decode. Stereo is down-mixed
// to the mean of both channels.
//
// # Accuracy
//
// The tests encode real speech (espeak-ng) with libopus through ffmpeg and
// compare Decode's output sample by sample with libopus's own decode of the
// same file. Measured SNR (pion/opus v0.1.0, libopus 1.3.1): CELT 80-81 dB,
// Hybrid 50-56 dB, SILK 48-53 dB, a Hybrid/CELT switching stream 55 dB; the
// test requires 45 dB everywhere, far above what any analysis of speech
// can notice (16-bit PCM quantisation alone is ~96 dB, a good microphone's
// noise floor ~60-70 dB below speech). Output is aligned with libopus to
// the sample (the Ogg pre-skip is the caller's business, as in RTP there
// is none).
//
// # What it does not do
//
// pion/opus has no packet loss concealment and no forward error correction
// decoding. Lost (called by the RTP reader when sequence numbers skip)
// returns silence of the lost packets' duration instead, so the audio stays
// aligned in time with the video; in-band FEC data in later packets is
// parsed and ignored. Opus cannot detect every damaged packet (a
// single-frame packet's length is implicit), so a truncated or altered
// packet may decode to noise of the right length rather than fail; one
// whose structure is broken returns ErrCorrupt and the decoder resets so
// the stream goes on (measured: 200 ms later the output matches a clean
// decode again).
//
// # Ownership and concurrency
//
// A Decoder serves one stream, in order, from one goroutine; it is not safe
// for concurrent use. Decode never retains its payload and returns a new
// slice the caller owns; AppendDecode appends to the caller's slice and
// does not allocate when it has room. Output is bounded: at most
// MaxPacketSamples (120 ms) per packet and MaxLostSamples per Lost call,
// payloads over MaxPayloadSize are refused unread, samples are clamped to
// [-1, 1], and a panic inside pion/opus is recovered into ErrCorrupt
// (counted in Stats.Panics; none was found by fuzzing).
//
// Cost (BenchmarkDecode, this project's 2-core machine): 27-49 µs per 20 ms
// SILK packet, 40-49 µs CELT, 88-103 µs Hybrid (the mode Chrome uses for
// speech), i.e. about 0.5% of a core per live call. Hybrid packets allocate
// ~11 KB in 26 allocations inside pion/opus; SILK and CELT almost nothing.
package opusdec
