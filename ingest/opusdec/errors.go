package opusdec

import "errors"

// ErrCorrupt is returned for a payload that is not a decodable Opus packet:
// a malformed table-of-contents or frame layout (RFC 6716 §3.4), or a
// bitstream the decoder rejects. A packet refused by its header never
// reaches the decoder; one the decoder rejects resets it. Either way the
// next good packet decodes normally.
var ErrCorrupt = errors.New("opusdec: corrupt Opus packet")

// ErrTooLarge is returned for a payload longer than MaxPayloadSize. No
// legitimate sender produces one; the bytes are not looked at.
var ErrTooLarge = errors.New("opusdec: Opus payload too large")

// errPanic marks a panic inside github.com/pion/opus that Decode recovered
// from; it is always wrapped together with ErrCorrupt.
var errPanic = errors.New("decoder panicked")
