package record

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/unmaskhq/unmask/evidence"
)

// Recorder writes one session's media and manifest into a directory as
// they arrive. Create starts it; Close finalises it.
//
// WriteVideo, WriteAudio, SetDeviceFacts, Manifest and Close are safe for
// concurrent use (one mutex guards the state; each write is one pwrite to
// the page cache, so the video and the audio goroutine hardly wait for
// each other). A background goroutine, stopped by Close, fsyncs the files
// every FlushInterval without holding that mutex.
type Recorder struct {
	dir          string
	cfg          Config
	gapThreshold int64 // samples
	maxGap       int64 // samples

	// mfMu serialises manifest writes so the newest snapshot is always
	// the one left on disk. Lock order: mfMu, then mu.
	mfMu sync.Mutex

	mu           sync.Mutex
	closed       bool
	stopErr      error    // non-nil once recording has stopped; wraps ErrStopped
	m            Manifest // live statistics
	v            videoTrack
	a            audioTrack
	total        int64 // bytes in both files
	needManifest bool  // the manifest on disk is out of date

	kick     chan struct{} // asks the sync goroutine for a manifest write now
	quit     chan struct{}
	syncDone chan struct{}

	closeOnce sync.Once
	final     Manifest
	finalErr  error
}

// videoTrack is the state of video.ivf.
type videoTrack struct {
	f     *os.File // also holds the session lock
	off   int64    // end of the last complete frame
	dirty bool     // written since the last flush
	first int64    // extended RTP timestamp of IVF time 0
	last  int64    // extended RTP timestamp of the previous frame
	w, h  int      // size of the latest key frame
	buf   []byte   // frame header + frame, one write
}

// audioTrack is the state of audio.wav.
type audioTrack struct {
	f       *os.File
	off     int64 // end of the data written
	dirty   bool
	started bool
	anchor  int64 // extended RTP timestamp of sample 0, moved by discontinuities
	last    int64 // extended RTP timestamp of the previous chunk
	buf     []byte
}

// zeros is the source of inserted silence.
var zeros [64 << 10]byte

// Create starts recording a session into dir, creating dir if needed. It
// fails with ErrExists when dir already holds a session manifest or media
// file (the media files are created with O_EXCL), and with the system
// error when dir cannot be created or written. On success dir holds
// video.ivf and audio.wav with valid empty headers and session.json,
// all fsynced, and the caller must eventually call Close.
func Create(dir string, cfg Config) (*Recorder, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var facts json.RawMessage
	if cfg.DeviceFacts != nil {
		if facts, err = validFacts(cfg.DeviceFacts); err != nil {
			return nil, err
		}
	}
	if cfg.SessionID == "" {
		var b [16]byte
		rand.Read(b[:])
		cfg.SessionID = hex.EncodeToString(b[:])
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("record: create %s: %w", dir, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, ManifestName)); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, dir)
	}
	var created []*os.File
	fail := func(err error) (*Recorder, error) {
		for _, f := range created {
			f.Close()
			os.Remove(f.Name())
		}
		return nil, err
	}
	for _, name := range []string{VideoName, AudioName} {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fail(fmt.Errorf("%w: %s", ErrExists, filepath.Join(dir, name)))
			}
			return fail(fmt.Errorf("record: create %s: %w", name, err))
		}
		created = append(created, f)
	}
	vf, af := created[0], created[1]
	if err := lockFile(vf); err != nil {
		return fail(err)
	}
	if _, err := vf.WriteAt(ivfHeader(ivfFourCC(cfg.VideoCodec), 0, 0, 0), 0); err != nil {
		return fail(fmt.Errorf("record: write %s: %w", VideoName, err))
	}
	if _, err := af.WriteAt(wavHeader(0), 0); err != nil {
		return fail(fmt.Errorf("record: write %s: %w", AudioName, err))
	}
	for _, f := range created {
		if err := f.Sync(); err != nil {
			return fail(fmt.Errorf("record: sync %s: %w", filepath.Base(f.Name()), err))
		}
	}
	if err := syncDir(dir); err != nil {
		return fail(err)
	}
	r := &Recorder{
		dir:          dir,
		cfg:          cfg,
		gapThreshold: int64(cfg.AudioGapThreshold.Seconds() * SampleRate),
		maxGap:       int64(cfg.MaxAudioGap.Seconds() * SampleRate),
		v:            videoTrack{f: vf, off: ivfHeaderSize},
		a:            audioTrack{f: af, off: wavHeaderSize},
		total:        ivfHeaderSize + wavHeaderSize,
		kick:         make(chan struct{}, 1),
		quit:         make(chan struct{}),
		syncDone:     make(chan struct{}),
		m:            newManifest(),
	}
	r.m.SessionID = cfg.SessionID
	r.m.Start = now()
	r.m.FlushIntervalMS = cfg.FlushInterval.Milliseconds()
	r.m.Video.Codec = cfg.VideoCodec
	r.m.Audio.Codec = cfg.AudioCodec
	if facts != nil {
		r.m.Device, r.m.DeviceUpdated = facts, r.m.Start
	}
	if err := writeManifest(dir, r.m, true); err != nil {
		return fail(err)
	}
	go r.syncLoop()
	return r, nil
}

// newManifest returns a manifest with the fixed fields filled in.
func newManifest() Manifest {
	return Manifest{
		Schema:        Schema,
		SchemaVersion: SchemaVersion,
		Video:         VideoStats{File: VideoName, Codec: "VP8/90000", Timebase: "1/1000"},
		Audio: AudioStats{File: AudioName, Codec: "opus/48000/2", Format: "pcm_s16le",
			SampleRate: SampleRate, Channels: 1},
	}
}

// Dir returns the session directory.
func (r *Recorder) Dir() string { return r.dir }

// Manifest returns a snapshot of the manifest as it stands: counts so far,
// no end and no hashes until Close. The snapshot is the caller's.
func (r *Recorder) Manifest() Manifest {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.m
	m.Device = slices.Clone(m.Device)
	return m
}

// extend turns a 32-bit RTP timestamp into a 64-bit one continuing last:
// the step from last is taken as the signed 32-bit difference, so the
// wrap from 2^32-1 to 0 continues upwards and a step back stays a step
// back (RFC 3550 section 5.1: timestamps wrap; steps of 2^31 or more are
// ambiguous and taken the short way).
func extend(last int64, ts uint32) int64 {
	return last + int64(int32(ts-uint32(last)))
}

// WriteVideo records one complete VP8 frame with its RTP timestamp
// (90 kHz clock) and whether it is a key frame (VP8 P bit clear). The
// frame is written unchanged with an IVF timestamp of
// floor((ts − ts₀)/90) ms, ts₀ being the first recorded frame's extended
// timestamp (timestamps before ts₀ are written as 0). Frames before the
// first key frame are skipped (counted, nil error): no decoder can use
// them. WriteVideo does not retain frame.
//
// Errors: ErrEmptyFrame and ErrFrameTooLarge refuse one frame; an error
// wrapping ErrStopped (and ErrSizeCap or the I/O error) means recording
// has stopped; ErrClosed after Close. It never panics.
func (r *Recorder) WriteVideo(frame []byte, rtpTS uint32, keyframe bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.usableLocked(); err != nil {
		return err
	}
	st, v := &r.m.Video, &r.v
	switch {
	case len(frame) == 0:
		st.Refused++
		return ErrEmptyFrame
	case len(frame) > MaxFrameSize:
		st.Refused++
		return fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, len(frame), MaxFrameSize)
	case st.Frames == 0 && !keyframe:
		st.SkippedBeforeKeyframe++
		return nil
	}
	first := st.Frames == 0
	ext := int64(rtpTS)
	if !first {
		ext = extend(v.last, rtpTS)
		if ext < v.last {
			st.TimestampBackwards++
		}
	} else {
		v.first = ext
	}
	var pts int64
	if d := ext - v.first; d > 0 {
		pts = d / 90
	}
	n := int64(ivfFrameHeaderSize + len(frame))
	if err := r.reserveLocked(n); err != nil {
		return err
	}
	if keyframe && ivfFourCC(r.cfg.VideoCodec) == "VP80" {
		if w, h, ok := vp8KeyframeSize(frame); ok {
			switch {
			case v.w == 0:
				var b [4]byte
				binary.LittleEndian.PutUint16(b[0:], uint16(w))
				binary.LittleEndian.PutUint16(b[2:], uint16(h))
				if _, err := v.f.WriteAt(b[:], ivfSizeOffset); err != nil {
					return r.stopLocked(StopWriteError, fmt.Errorf("record: write %s: %w", VideoName, err))
				}
				st.Width, st.Height = w, h
			case w != v.w || h != v.h:
				st.ResolutionChanges++
			}
			v.w, v.h = w, h
		}
	}
	v.buf = binary.LittleEndian.AppendUint32(v.buf[:0], uint32(len(frame)))
	v.buf = binary.LittleEndian.AppendUint64(v.buf, uint64(pts))
	v.buf = append(v.buf, frame...)
	if _, err := v.f.WriteAt(v.buf, v.off); err != nil {
		return r.stopLocked(StopWriteError, fmt.Errorf("record: write %s: %w", VideoName, err))
	}
	if cap(v.buf) > 1<<20 && len(frame) < 1<<18 {
		v.buf = nil // let one huge key frame's buffer go
	}
	v.off += n
	r.total += n
	v.dirty = true
	v.last = ext
	st.Frames++
	if keyframe {
		st.Keyframes++
	}
	st.DurationMS = max(st.DurationMS, pts)
	r.needManifest = true
	if first {
		ts := rtpTS
		st.FirstRTPTimestamp = &ts
		st.FirstArrival = now()
		r.needManifest = true
		r.kickLocked()
	}
	return nil
}

// WriteAudio records one chunk of decoded audio: 48 kHz mono samples in
// [-1, 1] (stored as round(x·32768), clamped) whose first sample has the
// RTP timestamp rtpTS (48 kHz clock). The WAV follows the RTP clock:
// where the chunk should start (its timestamp minus the first chunk's)
// is compared with what has been written; an error up to
// AudioGapThreshold is left alone, a gap beyond it is filled with silence
// (at most MaxAudioGap, the rest counted as a discontinuity), and a chunk
// that overlaps what is written loses its overlapping head (or is dropped
// when it lies wholly in the past). See doc.go. WriteAudio does not
// retain pcm. Errors as for WriteVideo.
func (r *Recorder) WriteAudio(pcm []float32, rtpTS uint32) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.usableLocked(); err != nil {
		return err
	}
	if len(pcm) == 0 {
		return nil
	}
	st, a := &r.m.Audio, &r.a
	defer func() { // also after a write that failed half way
		st.Samples = (a.off - wavHeaderSize) / 2
		st.DurationMS = st.Samples * 1000 / SampleRate
	}()
	first := !a.started
	ext := int64(rtpTS)
	if first {
		a.anchor = ext
	} else {
		ext = extend(a.last, rtpTS)
	}
	e := (ext - a.anchor) - st.Samples // >0: a gap; <0: an overlap
	var fill, trim int64
	switch {
	case e > r.gapThreshold && e > r.maxGap:
		fill = r.maxGap
	case e > r.gapThreshold:
		fill = e
	case e < -r.gapThreshold && -e > r.maxGap:
		// A jump back further than any gap we fill: the sender
		// restarted its clock. Carry on from here.
	case e < -r.gapThreshold:
		trim = -e
		if trim >= int64(len(pcm)) {
			st.Overlaps++
			st.LateChunks++
			st.TrimmedSamples += int64(len(pcm))
			a.last = ext
			return nil
		}
	}
	n := 2 * (fill + int64(len(pcm)) - trim)
	if err := r.reserveLocked(n); err != nil {
		return err
	}
	if a.off-wavHeaderSize+n > maxWAVData {
		return r.stopLocked(StopSizeCap, fmt.Errorf("%w: %s would pass the WAV format's 4 GiB limit", ErrSizeCap, AudioName))
	}
	for left := 2 * fill; left > 0; {
		k := min(left, int64(len(zeros)))
		if _, err := a.f.WriteAt(zeros[:k], a.off); err != nil {
			return r.stopLocked(StopWriteError, fmt.Errorf("record: write %s: %w", AudioName, err))
		}
		a.off += k
		r.total += k
		left -= k
	}
	var clipped int64
	a.buf, clipped = pcm16(a.buf[:0], pcm[trim:])
	if _, err := a.f.WriteAt(a.buf, a.off); err != nil {
		return r.stopLocked(StopWriteError, fmt.Errorf("record: write %s: %w", AudioName, err))
	}
	a.off += int64(len(a.buf))
	r.total += int64(len(a.buf))
	a.dirty = true
	a.started = true
	a.last = ext
	switch {
	case fill > 0 && e > fill: // capped gap
		st.Gaps++
		st.Discontinuities++
		st.UnfilledSamples += e - fill
		a.anchor += e - fill
	case fill > 0:
		st.Gaps++
	case trim > 0:
		st.Overlaps++
	case e < -r.gapThreshold: // restart
		st.Discontinuities++
		a.anchor += e
	}
	st.SilenceSamples += fill
	st.TrimmedSamples += trim
	st.ClippedSamples += clipped
	st.Packets++
	r.needManifest = true
	if first {
		ts := rtpTS
		st.FirstRTPTimestamp = &ts
		st.FirstArrival = now()
		r.needManifest = true
		r.kickLocked()
	}
	return nil
}

// SetDeviceFacts stores raw (one JSON value, at most MaxDeviceFacts bytes)
// as the session's device facts, replacing any earlier ones, and rewrites
// the manifest atomically. On a write error the facts are still kept for
// the next manifest write. It does not retain raw.
func (r *Recorder) SetDeviceFacts(raw json.RawMessage) error {
	facts, err := validFacts(raw)
	if err != nil {
		return err
	}
	r.mfMu.Lock()
	defer r.mfMu.Unlock()
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	r.m.Device, r.m.DeviceUpdated = facts, now()
	r.needManifest = false
	m := r.m
	r.mu.Unlock()
	if err := writeManifest(r.dir, m, false); err != nil {
		r.mu.Lock()
		r.needManifest = true
		r.mu.Unlock()
		return err
	}
	return nil
}

// usableLocked returns why nothing more can be written, if anything.
func (r *Recorder) usableLocked() error {
	if r.closed {
		return ErrClosed
	}
	return r.stopErr
}

// reserveLocked stops the recording if n more bytes would pass MaxBytes.
func (r *Recorder) reserveLocked(n int64) error {
	if r.total+n > r.cfg.MaxBytes {
		return r.stopLocked(StopSizeCap, fmt.Errorf("%w: %d of %d bytes used, %d more asked", ErrSizeCap, r.total, r.cfg.MaxBytes, n))
	}
	return nil
}

// stopLocked stops the recording for good: every later write returns the
// error returned here, and the manifest says why.
func (r *Recorder) stopLocked(reason string, cause error) error {
	if r.stopErr != nil {
		return r.stopErr
	}
	r.stopErr = fmt.Errorf("%w: %w", ErrStopped, cause)
	r.m.Stopped = &Stop{Reason: reason, Error: cause.Error(), At: now()}
	r.needManifest = true
	r.kickLocked()
	return r.stopErr
}

// kickLocked asks the sync goroutine for an early manifest write.
func (r *Recorder) kickLocked() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// syncLoop flushes every FlushInterval and then rewrites the manifest if
// anything changed, and writes the manifest at once when kicked (first
// frame, first audio, a stop), until Close.
func (r *Recorder) syncLoop() {
	defer close(r.syncDone)
	t := time.NewTicker(r.cfg.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-r.quit:
			return
		case <-t.C:
			r.flush()
			r.writeManifestIfNeeded()
		case <-r.kick:
			r.writeManifestIfNeeded()
		}
	}
}

// flush brings the headers up to date with what has been written (IVF
// frame count, WAV sizes) and fsyncs the files that changed. The header
// updates happen under the mutex, so a header never claims more than the
// file holds; the fsyncs happen outside it, so writers do not wait for
// the disk. A failure stops the recording.
func (r *Recorder) flush() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	var files []*os.File
	var err error
	if r.v.dirty {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(r.m.Video.Frames))
		if _, err = r.v.f.WriteAt(b[:], ivfCountOffset); err == nil {
			files = append(files, r.v.f)
			r.v.dirty = false
		}
	}
	if r.a.dirty && err == nil {
		if err = patchWAVSizes(r.a.f, r.a.off-wavHeaderSize); err == nil {
			files = append(files, r.a.f)
			r.a.dirty = false
		}
	}
	if err != nil {
		r.stopLocked(StopWriteError, fmt.Errorf("record: update header: %w", err))
	}
	r.mu.Unlock()
	for _, f := range files {
		if err := f.Sync(); err != nil {
			r.mu.Lock()
			r.stopLocked(StopWriteError, fmt.Errorf("record: sync %s: %w", filepath.Base(f.Name()), err))
			r.mu.Unlock()
			return
		}
	}
}

// writeManifestIfNeeded rewrites session.json when the statistics changed
// since the last write. A failed write is retried at the next tick.
func (r *Recorder) writeManifestIfNeeded() {
	r.mfMu.Lock()
	defer r.mfMu.Unlock()
	r.mu.Lock()
	if !r.needManifest || r.closed {
		r.mu.Unlock()
		return
	}
	r.needManifest = false
	m := r.m
	r.mu.Unlock()
	if err := writeManifest(r.dir, m, false); err != nil {
		r.mu.Lock()
		r.needManifest = true
		r.mu.Unlock()
	}
}

// validReason reports whether reason can end a session: 1 to 32 of
// [a-z0-9_], and not EndRecovered.
func validReason(reason string) bool {
	if len(reason) == 0 || len(reason) > 32 || reason == EndRecovered {
		return false
	}
	for _, c := range []byte(reason) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Close finalises the session: it stops the sync goroutine, cuts any
// partly written frame, writes the final headers, fsyncs and closes the
// files, hashes them and writes the final manifest with reason ("" means
// EndNormal; see validReason) and the end time. It returns that manifest.
//
// Close is idempotent: later calls return the first call's result (the
// same Manifest value; treat its Device as read-only). An
// invalid reason returns ErrInvalidReason and leaves the recorder open.
// When finalising fails the session stays unfinalised, with its files
// consistent as far as the disk allowed; Recover can finish it later.
// Hashing reads both files back (about 1 s per GB).
func (r *Recorder) Close(reason string) (Manifest, error) {
	if reason == "" {
		reason = EndNormal
	}
	r.mu.Lock()
	closing := r.closed
	r.mu.Unlock()
	if !closing && !validReason(reason) {
		return r.Manifest(), fmt.Errorf("%w: %q", ErrInvalidReason, reason)
	}
	r.closeOnce.Do(func() { r.final, r.finalErr = r.finish(reason) })
	return r.final, r.finalErr
}

// finish does Close's work once.
func (r *Recorder) finish(reason string) (Manifest, error) {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	close(r.quit)
	<-r.syncDone
	defer r.v.f.Close() // last: releases the session lock after the manifest

	// No writer can run now: closed is set and the sync goroutine is gone.
	errs := []error{
		finishFile(r.v.f, r.v.off, func(f *os.File) error {
			var b [4]byte
			binary.LittleEndian.PutUint32(b[:], uint32(r.m.Video.Frames))
			_, err := f.WriteAt(b[:], ivfCountOffset)
			return err
		}),
		finishFile(r.a.f, r.a.off, func(f *os.File) error {
			return patchWAVSizes(f, r.a.off-wavHeaderSize)
		}),
	}
	if err := r.a.f.Close(); err != nil {
		errs = append(errs, fmt.Errorf("record: close %s: %w", AudioName, err))
	}
	if err := errors.Join(errs...); err != nil {
		return r.Manifest(), fmt.Errorf("record: finalise %s (Recover can finish it): %w", r.dir, err)
	}
	m := r.Manifest()
	var err error
	if m.Video.Size, m.Video.SHA256, err = hashFile(filepath.Join(r.dir, VideoName)); err != nil {
		return m, err
	}
	if m.Audio.Size, m.Audio.SHA256, err = hashFile(filepath.Join(r.dir, AudioName)); err != nil {
		return m, err
	}
	m.End, m.EndReason = now(), reason
	r.mfMu.Lock()
	err = writeManifest(r.dir, m, false)
	r.mfMu.Unlock()
	if err != nil {
		return m, fmt.Errorf("record: finalise %s (Recover can finish it): %w", r.dir, err)
	}
	return m, nil
}

// finishFile cuts f after off (a write that failed half way), updates its
// header and fsyncs it.
func finishFile(f *os.File, off int64, header func(*os.File) error) error {
	name := filepath.Base(f.Name())
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("record: stat %s: %w", name, err)
	}
	if st.Size() > off {
		if err := f.Truncate(off); err != nil {
			return fmt.Errorf("record: truncate %s: %w", name, err)
		}
	}
	if err := header(f); err != nil {
		return fmt.Errorf("record: write %s header: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("record: sync %s: %w", name, err)
	}
	return nil
}

// hashFile returns a file's size and SHA-256 (hex), with the hash helper
// of package evidence.
func hashFile(path string) (int64, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, "", fmt.Errorf("record: %w", err)
	}
	sum, err := evidence.HashFile(path)
	if err != nil {
		return 0, "", fmt.Errorf("record: hash %s: %w", filepath.Base(path), err)
	}
	return st.Size(), sum, nil
}
