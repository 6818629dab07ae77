// Package h264 turns H.264 video into analysis frames, as package vp8 does
// for VP8: RTP packets from a WebRTC call into Annex-B access units
// (Assembler, RFC 6184 packetization-mode 1), access units into BGR Mats
// (Decoder, a cgo wrapper over FFmpeg's libavcodec and libswscale), and
// recorded IVF files (fourcc H264) into a source for the analysis pipeline
// (IVFSource). OBS Studio 30+ publishes WHIP with H.264 constrained
// baseline, no B-frames, which is what this package is built and tested
// for.
//
// The live path is track.ReadRTP -> Assembler.Push -> Decoder.Decode. When
// Push reports needKeyframe or Decode returns ErrNeedKeyframe, the caller
// sends an RTCP PLI, at a limited rate: both keep saying so until an IDR
// arrives. There is no jitter buffer; see Assembler.
//
// Hostile input: sizes are checked before memory is committed. An access
// unit over MaxFrameSize is refused; an SPS that is malformed or declares a
// side outside analysis.MinFrameSide..analysis.MaxFrameSide or more than
// MaxPixels pixels is refused with analysis.ErrBadFrame before libavcodec
// sees it, and libavcodec's own max_pixels backs that up. libavcodec runs
// with AV_EF_EXPLODE, so a damaged slice fails instead of being concealed;
// a picture still flagged as concealed is refused too. Any failure flushes
// the decoder's reference pictures and waits for an IDR. Damage H.264
// cannot detect (it has no checksum) decodes into a valid but wrong
// picture until the next IDR. libavcodec's log messages for this decoder
// are pushed below the default log level (per context; the process-wide
// level, which OpenCV also uses, is left alone).
//
// Ownership: Frame.Data returned by Push is a new slice the receiver owns.
// Decode writes into the caller's Mat, reusing its memory, and retains
// neither the access unit nor the Mat. IVFSource.Frames sends each picture
// in a new Mat that the receiver owns and must Close; it closes the one it
// holds when its context ends.
//
// Concurrency: a Decoder, an Assembler and an IVFSource each serve one
// goroutine. Decoder.Close and IVFSource.Close may be called from another:
// they wait for a decode in progress and are idempotent. Assembler.Stats,
// IVFSource.Info and IVFSource.Stats are safe for concurrent use.
//
// Pictures are converted to BGR by libswscale (BT.601 limited range for
// yuv420p), pixel-identical to OpenCV's FFmpeg backend. Decoding plus
// conversion takes about 0.21 ms per frame at 400x300 and 1.5 ms at
// 1280x720 (BenchmarkDecode, x264 baseline, one thread).
package h264
