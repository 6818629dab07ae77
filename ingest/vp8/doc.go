// Package vp8 turns VP8 video into analysis frames: RTP packets from a
// WebRTC call into compressed frames (Assembler, RFC 7741), compressed
// frames into BGR Mats (Decoder, a cgo wrapper over libvpx), and recorded
// IVF files into a source for the analysis pipeline (IVFSource).
//
// The live path is track.ReadRTP -> Assembler.Push -> Decoder.Decode. When
// Push reports needKeyframe or Decode returns ErrNeedKeyframe, the caller
// sends an RTCP PLI, at a limited rate: both keep saying so until a
// keyframe arrives. There is no jitter buffer; see Assembler.
//
// Hostile input: sizes are checked before memory is committed. A frame
// over MaxFrameSize is refused; a keyframe whose side is outside
// analysis.MinFrameSide..analysis.MaxFrameSide is refused with
// analysis.ErrBadFrame before libvpx allocates for it. A frame libvpx
// rejects or flags as corrupted resets the decoder, which then waits for a
// keyframe, so nothing of a broken frame reaches later pictures. Damage
// that VP8 cannot detect (it has no checksum) decodes into a valid but
// wrong picture until the next keyframe.
//
// Ownership: Frame.Data returned by Push is a new slice the receiver owns.
// Decode writes into the caller's Mat, reusing its memory, and retains
// neither the frame nor the Mat. IVFSource.Frames sends each picture in a
// new Mat that the receiver owns and must Close; it closes the one it holds
// when its context ends.
//
// Concurrency: a Decoder, an Assembler and an IVFSource each serve one
// goroutine. Decoder.Close and IVFSource.Close may be called from another:
// they wait for a decode in progress and are idempotent. Assembler.Stats,
// IVFSource.Info and IVFSource.Stats are safe for concurrent use.
//
// Pictures are BT.601 limited range converted to BGR with OpenCV's
// constants. Decoding plus conversion takes about 0.3 ms per frame at
// 400x300, 0.7 ms at 640x480 and 1.3 ms at 1280x720 (BenchmarkDecode; up
// to 1.5x more on a busy machine).
package vp8
