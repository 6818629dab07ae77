// Package record records a live interview session to disk as it arrives,
// for reviewers and as evidence: the candidate's VP8 video as received
// (no re-encode), the decoded audio, and a manifest.
//
// # Files
//
// A session directory (created 0700, files 0600) holds:
//
//	session.json  the Manifest: schema, session id, start and end (UTC,
//	              RFC 3339 with ms), end reason, device facts, codecs,
//	              counts, gap statistics, and when finalised the size and
//	              SHA-256 of both media files.
//	video.ivf     VP8 frames exactly as given to WriteVideo, in IVF: a
//	              32-byte header ("DKIF", "VP80", width and height of the
//	              first key frame, timebase 1/1000 s, frame count), then per
//	              frame a 12-byte header (size, timestamp) and the frame.
//	audio.wav     48 kHz mono 16-bit PCM in a canonical 44-byte-header WAV.
//
// Create refuses a directory that already holds any of the three
// (ErrExists): the media files are created with O_EXCL and the first
// manifest with a hard link that cannot replace a file.
//
// # Video timestamps
//
// The IVF timestamp of a frame is floor((ts − ts₀)/90) milliseconds, where
// ts is the frame's 90 kHz RTP timestamp extended to 64 bits (each step
// from the previous frame is the signed 32-bit difference, so the wrap
// from 2^32−1 to 0 is continuous) and ts₀ is the first recorded frame's.
// A replay recovers each frame's presentation time to within 1 ms as
// timestamp ms after the first frame, whose RTP timestamp and arrival
// time are in the manifest (video.first_rtp_timestamp, first_arrival).
// Frames before the first key frame are skipped and counted; a frame whose
// timestamp goes backwards is recorded as received and counted.
//
// # Audio timeline and gaps
//
// The WAV follows the audio RTP clock (48 kHz) so it stays aligned with
// the video when packets are lost or the sender pauses. For each chunk the
// recorder compares where it should start (its extended RTP timestamp
// minus the first chunk's) with the samples written so far; the difference
// e is handled as follows (T = AudioGapThreshold, default 10 ms; C =
// MaxAudioGap, default 5 min):
//
//   - |e| ≤ T: written as is. Small timestamp jitter is absorbed and the
//     alignment error never exceeds T, because the next chunk is again
//     measured against the RTP clock, not against the previous chunk.
//     T is half of a 20 ms Opus packet, so a single lost packet is filled.
//   - e > T: a gap (lost packets, a paused sender): e samples of silence
//     are inserted first. At most C per gap; the rest is counted as a
//     discontinuity (audio.unfilled_samples) and the timeline re-anchored.
//     C bounds the damage of a bogus timestamp jump (2^31 ticks would be
//     12 h of silence); five minutes is far beyond an ICE disconnection
//     (about 30 s before a call is declared lost) and covers a long
//     mute by a sender that stops sending altogether.
//   - e < −T: the chunk overlaps what is written (a duplicate or a late
//     packet after its gap was filled): its overlapping head is dropped,
//     or the whole chunk when it lies in the past. A jump back by more
//     than C is a clock restart: written as is and re-anchored.
//
// Samples are stored as round(x·32768) clamped to 16 bits (x = s/32768
// from a 16-bit source round-trips exactly); clamped samples are counted.
// Audio and video are aligned with each other through their first_arrival
// times (wall clock, so within the network jitter); RTCP sender reports,
// when the caller has them, give a better mapping from first_rtp_timestamp.
//
// # Crash safety
//
// Every frame and chunk is one pwrite straight to the file (no user-space
// buffer), so a killed process loses nothing that WriteVideo or WriteAudio
// returned from; only a frame in the middle of its write can be left
// partial. Every FlushInterval (default 2 s) a background goroutine writes
// the frame count into the IVF header and the sizes into the WAV header,
// always describing data already written, then fsyncs both files; so
// after a power loss or kernel crash at most the last FlushInterval (plus
// the fsync time) is lost, and until Recover runs the files already play
// up to the last flush. The manifest is replaced atomically (temporary
// file, fsync, rename, directory fsync) at Create, on SetDeviceFacts, when
// the first video frame and the first audio chunk arrive, when recording
// stops early, after each flush that had new media (so the counts of a
// recovered session are at most one interval old), and at Close.
//
// Recover finishes an unfinalised session: it cuts the IVF after its last
// complete frame and fixes its frame count, sets the WAV sizes from the
// real data length (dropping a half sample), and writes the manifest with
// end reason "recovered" and both hashes. While a Recorder is live it
// holds an advisory lock (flock) on video.ivf, and Recover returns ErrBusy
// instead of touching the files (no lock on platforms without flock).
//
// # Limits
//
// A frame over MaxFrameSize (4 MiB) is refused with ErrFrameTooLarge and
// recording goes on. When the two media files would pass Config.MaxBytes
// (default 4 GiB) or a disk write or fsync fails, recording stops: every
// later write returns an error wrapping ErrStopped and the cause, the
// manifest gets a "stopped" section, and Close still finalises what was
// written. Nothing here panics.
//
// # Concurrency and ownership
//
// A Recorder is safe for concurrent use; the intended use is one video
// goroutine calling WriteVideo and one audio goroutine calling WriteAudio,
// plus SetDeviceFacts and Close from anywhere. One mutex guards the state;
// fsync and manifest writes happen outside it. Writes do not retain the
// caller's slices. Create starts one goroutine, which Close stops: Close
// must be called (it is idempotent).
package record
