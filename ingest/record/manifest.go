package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// File names inside a session directory.
const (
	ManifestName = "session.json"
	VideoName    = "video.ivf"
	AudioName    = "audio.wav"
)

// Schema identifies a session manifest; SchemaVersion is bumped on any
// change a reader must know about.
const (
	Schema        = "unmask.record.session"
	SchemaVersion = 1
)

// End reasons. Close accepts these and any other short lower-case token
// (the ingest server also uses "replaced" and "server_closed");
// EndRecovered is set only by Recover.
const (
	EndNormal       = "normal"
	EndPeerLost     = "peer_lost"
	EndReplaced     = "replaced"
	EndServerClosed = "server_closed"
	EndRecovered    = "recovered"
)

// Stop reasons, in Manifest.Stopped.
const (
	StopSizeCap    = "size_cap"
	StopWriteError = "write_error"
)

// timeLayout is RFC 3339 with exactly three fractional digits.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time is an instant that marshals to JSON as UTC RFC 3339 with
// milliseconds ("2025-03-01T09:30:00.123Z"). The zero Time is omitted
// from the manifest.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(timeLayout) + `"`), nil
}

// UnmarshalJSON implements json.Unmarshaler; it accepts any RFC 3339 time
// and null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	t.Time = v.UTC()
	return nil
}

// now returns the current time in UTC rounded down to the millisecond,
// the precision the manifest keeps.
func now() Time { return Time{time.Now().UTC().Truncate(time.Millisecond)} }

// Manifest is session.json: what was recorded, how, and the hashes of the
// finished files. See doc.go for when it is written.
type Manifest struct {
	Schema        string `json:"schema"`
	SchemaVersion int    `json:"schema_version"`
	SessionID     string `json:"session_id"`
	Start         Time   `json:"start,omitzero"`
	// End and EndReason are set when the session is finalised by Close
	// (end = the time of Close) or by Recover (end = the last
	// modification time of the media files, the last moment data reached
	// them; reason "recovered").
	End       Time   `json:"end,omitzero"`
	EndReason string `json:"end_reason,omitempty"`
	// FlushIntervalMS is the interval at which media were fsynced.
	FlushIntervalMS int64 `json:"flush_interval_ms"`
	// Device is the latest device-facts document given to the recorder,
	// verbatim; DeviceUpdated is when it was given.
	Device        json.RawMessage `json:"device,omitempty"`
	DeviceUpdated Time            `json:"device_updated,omitzero"`
	Video         VideoStats      `json:"video"`
	Audio         AudioStats      `json:"audio"`
	// Clock places both files on the call's clock (SetClock).
	Clock *Clock `json:"clock,omitempty"`
	// Stopped is set when recording stopped before the end.
	Stopped *Stop `json:"stopped,omitempty"`
	// Recovery is set by Recover.
	Recovery *Recovery `json:"recovery,omitempty"`
}

// Finalised reports whether m describes a finished session: an end reason
// and both media hashes.
func (m Manifest) Finalised() bool {
	return m.EndReason != "" && m.Video.SHA256 != "" && m.Audio.SHA256 != ""
}

// VideoStats describes video.ivf.
type VideoStats struct {
	File  string `json:"file"`
	Codec string `json:"codec"`
	// Timebase of the IVF timestamps: "1/1000", milliseconds since the
	// first recorded frame's RTP timestamp (see doc.go).
	Timebase string `json:"timebase"`
	// Width and Height are from the first key frame's VP8 header.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// Frames recorded and, of those, key frames.
	Frames    int64 `json:"frames"`
	Keyframes int64 `json:"keyframes"`
	// SkippedBeforeKeyframe counts frames dropped because no key frame
	// had arrived yet (undecodable). Refused counts frames refused as
	// empty or over MaxFrameSize.
	SkippedBeforeKeyframe int64 `json:"skipped_before_keyframe,omitempty"`
	Refused               int64 `json:"refused,omitempty"`
	// TimestampBackwards counts frames whose RTP timestamp was earlier
	// than the previous frame's (recorded as received, timestamps clamped
	// at 0). ResolutionChanges counts key frames with a new size.
	TimestampBackwards int64 `json:"timestamp_backwards,omitempty"`
	ResolutionChanges  int64 `json:"resolution_changes,omitempty"`
	// FirstRTPTimestamp is the RTP timestamp of IVF time 0; FirstArrival
	// is when that frame reached the recorder (wall clock). A replay
	// aligns audio and video by their FirstArrival.
	FirstRTPTimestamp *uint32 `json:"first_rtp_timestamp,omitempty"`
	FirstArrival      Time    `json:"first_arrival,omitzero"`
	// DurationMS is the last frame's IVF timestamp.
	DurationMS int64 `json:"duration_ms"`
	// Size and SHA256 of the finished file.
	Size   int64  `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// AudioStats describes audio.wav.
type AudioStats struct {
	File string `json:"file"`
	// Codec is the received codec; Format what the WAV holds.
	Codec      string `json:"codec"`
	Format     string `json:"format"`
	SampleRate int    `json:"sample_rate"`
	Channels   int    `json:"channels"`
	// Packets is the number of PCM chunks given to WriteAudio and
	// recorded (wholly or partly).
	Packets int64 `json:"packets"`
	// Samples in the WAV, inserted silence included.
	Samples int64 `json:"samples"`
	// Gaps filled, and the silence they inserted (samples).
	Gaps           int64 `json:"gaps,omitempty"`
	SilenceSamples int64 `json:"silence_samples,omitempty"`
	// Discontinuities: timestamp jumps over MaxAudioGap (forwards or
	// backwards); UnfilledSamples is the forward jump not filled because
	// of the cap, i.e. how far the WAV runs early from there on.
	Discontinuities int64 `json:"discontinuities,omitempty"`
	UnfilledSamples int64 `json:"unfilled_samples,omitempty"`
	// Overlaps: chunks that began before the end of what was written;
	// their overlapping head (TrimmedSamples) was dropped, and chunks
	// wholly in the past (LateChunks) were dropped.
	Overlaps       int64 `json:"overlaps,omitempty"`
	TrimmedSamples int64 `json:"trimmed_samples,omitempty"`
	LateChunks     int64 `json:"late_chunks,omitempty"`
	// ClippedSamples were outside [-1, 1] (or NaN) and clamped.
	ClippedSamples    int64   `json:"clipped_samples,omitempty"`
	FirstRTPTimestamp *uint32 `json:"first_rtp_timestamp,omitempty"`
	FirstArrival      Time    `json:"first_arrival,omitzero"`
	DurationMS        int64   `json:"duration_ms"`
	Size              int64   `json:"size,omitempty"`
	SHA256            string  `json:"sha256,omitempty"`
}

// Stop records why recording stopped early.
type Stop struct {
	Reason string `json:"reason"` // StopSizeCap or StopWriteError
	Error  string `json:"error"`
	At     Time   `json:"at,omitzero"`
}

// Recovery records what Recover did.
type Recovery struct {
	// ManifestRebuilt: there was no manifest; session id, start time and
	// per-packet counts are unknown.
	ManifestRebuilt bool `json:"manifest_rebuilt,omitempty"`
	// Bytes cut from the end of each file (a partial frame, half a sample).
	VideoBytesDropped int64 `json:"video_bytes_dropped"`
	AudioBytesDropped int64 `json:"audio_bytes_dropped"`
	// Frames and samples found past what the headers said at the last
	// flush (kept: they were written, just not yet flushed).
	VideoFramesAfterFlush  int64 `json:"video_frames_after_flush"`
	AudioSamplesAfterFlush int64 `json:"audio_samples_after_flush"`
	// Note: Frames, Keyframes, Samples and the durations are recounted
	// from the files; the other counts are as of the last manifest write
	// (the last flush).
	At Time `json:"at,omitzero"`
}

// ReadManifest reads and checks dir's session.json. It returns
// ErrNotSession when there is none and ErrCorrupt when it is not a
// session manifest of a known version.
func ReadManifest(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, fmt.Errorf("%w: %s has no %s", ErrNotSession, dir, ManifestName)
		}
		return Manifest{}, fmt.Errorf("record: read manifest: %w", err)
	}
	return parseManifest(b)
}

// parseManifest decodes and checks a manifest.
func parseManifest(b []byte) (Manifest, error) {
	var m Manifest
	if len(b) > 1<<20 {
		return m, fmt.Errorf("%w: manifest larger than 1 MiB", ErrCorrupt)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("%w: manifest: %v", ErrCorrupt, err)
	}
	switch {
	case m.Schema != Schema:
		return Manifest{}, fmt.Errorf("%w: manifest schema %q, want %q", ErrCorrupt, m.Schema, Schema)
	case m.SchemaVersion < 1 || m.SchemaVersion > SchemaVersion:
		return Manifest{}, fmt.Errorf("%w: manifest schema version %d, this build reads 1..%d", ErrCorrupt, m.SchemaVersion, SchemaVersion)
	case m.Video.File != VideoName || m.Audio.File != AudioName:
		return Manifest{}, fmt.Errorf("%w: manifest names files %q and %q", ErrCorrupt, m.Video.File, m.Audio.File)
	}
	if m.Device != nil {
		// The manifest is indented on disk; give back the compact form
		// SetDeviceFacts stored.
		var buf bytes.Buffer
		if err := json.Compact(&buf, m.Device); err == nil {
			m.Device = buf.Bytes()
		}
	}
	return m, nil
}

// marshal encodes m for session.json.
func (m Manifest) marshal() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("record: encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// writeManifest writes m as dir's session.json atomically. With create it
// refuses to replace an existing manifest (ErrExists).
func writeManifest(dir string, m Manifest, create bool) error {
	b, err := m.marshal()
	if err != nil {
		return err
	}
	return writeFileAtomic(dir, ManifestName, b, create)
}

// IsSession reports whether dir holds a session: a readable session
// manifest, or (a crash before the first manifest, or a lost one) both
// media files with valid headers. It does not say whether the session is
// finalised; see Manifest.Finalised.
func IsSession(dir string) bool {
	if _, err := ReadManifest(dir); err == nil {
		return true
	}
	return hasMediaFiles(dir)
}

// validFacts checks a device-facts document and returns a compact copy.
func validFacts(raw []byte) (json.RawMessage, error) {
	if len(raw) > MaxDeviceFacts {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidFacts, len(raw), MaxDeviceFacts)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidFacts, err)
	}
	if buf.Len() == 0 {
		return nil, ErrInvalidFacts
	}
	return json.RawMessage(buf.Bytes()), nil
}
