// Package live runs one interview call: a pion/webrtc peer that receives
// the candidate's VP8 video and Opus audio, records both as they arrive
// (package record), decodes them, and analyses the frames and voice with
// the same pipeline, signals and fusion as a recorded file.
//
// Goroutines, one job each:
//   - video reader: RTP -> VP8 frames (package vp8) -> recording -> decoder
//     -> the newest-frame slot. It never waits for analysis: a frame that
//     analysis has not taken when the next one is decoded is closed and
//     counted as dropped. A broken frame is dropped and a keyframe
//     requested (RTCP PLI), at most every 500 ms.
//   - audio reader: RTP -> Opus -> 48 kHz PCM -> recording, and the voice
//     queued for lip-sync (gaps in the RTP clock filled with silence).
//   - RTCP readers, so pion's interceptors (NACK, reports) run.
//   - analysis: pipeline.Run over the slot (a one-frame buffer behind it,
//     so drops happen only at the slot, where they are counted); its sink
//     hands queued voice and device findings to the signals, then feeds
//     the timeline 2.6 s behind the newest frame, so that lip-sync sees
//     the voice after each window as a file's analysis does. Signals are
//     touched only by this goroutine.
//
// Clock: frames and voice share one clock whose zero is the arrival of the
// call's first media packet; each track keeps its own RTP clock from its
// first packet's arrival. Once both tracks have sent an RTCP Sender Report
// the voice is moved to where capture time puts it (sync.go); the
// recording's manifest stores both starts so a replay lines voice and
// frames up the same way.
//
// Close is idempotent, and finalises the recording after every goroutine
// has stopped.
package live
