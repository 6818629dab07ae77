package record

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Recover finishes a session that was not closed (the process died, or
// Close could not finish): it cuts video.ivf after its last complete
// frame and writes the real frame count into its header, cuts a half
// sample off audio.wav and sets its RIFF and data sizes from the real data
// length, fsyncs both, and writes the manifest with end reason
// "recovered", end = the media files' last modification time, the counts
// found in the files, both hashes and a Recovery section.
//
// A directory whose media files have valid headers but no manifest is
// recovered too (Recovery.ManifestRebuilt; no session id or start time).
// Recover is idempotent: on a finalised session it does nothing and
// returns the manifest. Errors: ErrNotSession for a directory that is not
// a session, ErrBusy while a Recorder still holds it, ErrCorrupt when a
// header or the manifest is damaged (nothing is changed then).
func Recover(dir string) (Manifest, error) {
	m, err := ReadManifest(dir)
	rebuilt := false
	switch {
	case err == nil:
		if m.Finalised() {
			return m, nil
		}
	case errors.Is(err, ErrNotSession):
		if !hasMediaFiles(dir) {
			return Manifest{}, err
		}
		rebuilt = true
		m = newManifest()
	default:
		return Manifest{}, err
	}
	vf, err := openMedia(dir, VideoName)
	if err != nil {
		return m, err
	}
	defer vf.Close()
	if err := lockFile(vf); err != nil {
		return m, err
	}
	// A Close may have finished between the first read and the lock.
	if m2, err := ReadManifest(dir); err == nil {
		if m2.Finalised() {
			return m2, nil
		}
		m, rebuilt = m2, false
	}
	af, err := openMedia(dir, AudioName)
	if err != nil {
		return m, err
	}
	defer af.Close()

	var end time.Time
	for _, f := range []*os.File{vf, af} {
		st, err := f.Stat()
		if err != nil {
			return m, fmt.Errorf("record: stat %s: %w", filepath.Base(f.Name()), err)
		}
		if st.ModTime().After(end) {
			end = st.ModTime()
		}
	}
	// Check both headers before changing either file.
	if err := checkHeaderAt(vf, ivfHeaderSize, checkIVFHeader); err != nil {
		return m, err
	}
	if err := checkHeaderAt(af, wavHeaderSize, checkWAVHeader); err != nil {
		return m, err
	}
	vs, vcut, err := repairIVF(vf)
	if err != nil {
		return m, err
	}
	wr, err := repairWAV(af)
	if err != nil {
		return m, err
	}
	for _, f := range []*os.File{vf, af} {
		if err := f.Sync(); err != nil {
			return m, fmt.Errorf("record: sync %s: %w", filepath.Base(f.Name()), err)
		}
	}

	m.Video.Frames, m.Video.Keyframes, m.Video.DurationMS = vs.frames, vs.keyframes, vs.maxPTS
	if m.Video.Width == 0 {
		m.Video.Width, m.Video.Height = vs.width, vs.height
	}
	m.Audio.Samples = wr.data / 2
	m.Audio.DurationMS = m.Audio.Samples * 1000 / SampleRate
	m.Recovery = &Recovery{
		ManifestRebuilt:        rebuilt,
		VideoBytesDropped:      vcut,
		AudioBytesDropped:      wr.cut,
		VideoFramesAfterFlush:  max(0, vs.frames-int64(vs.headerFrames)),
		AudioSamplesAfterFlush: max(0, (wr.data-wr.headerData)/2),
		At:                     now(),
	}
	m.End = Time{end.UTC().Truncate(time.Millisecond)}
	m.EndReason = EndRecovered
	if m.Video.Size, m.Video.SHA256, err = hashFile(filepath.Join(dir, VideoName)); err != nil {
		return m, err
	}
	if m.Audio.Size, m.Audio.SHA256, err = hashFile(filepath.Join(dir, AudioName)); err != nil {
		return m, err
	}
	removeTemps(dir)
	if err := writeManifest(dir, m, rebuilt); err != nil {
		return m, err
	}
	return m, nil
}

// openMedia opens a media file of dir for repair.
func openMedia(dir, name string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is missing from %s", ErrCorrupt, name, dir)
		}
		return nil, fmt.Errorf("record: open %s: %w", name, err)
	}
	return f, nil
}

// checkHeaderAt reads the first n bytes of f and checks them.
func checkHeaderAt(f *os.File, n int, check func([]byte) error) error {
	b := make([]byte, n)
	k, err := f.ReadAt(b, 0)
	if k < n {
		if err == nil {
			err = fmt.Errorf("short read")
		}
		return fmt.Errorf("%w: %s: header: %v", ErrCorrupt, filepath.Base(f.Name()), err)
	}
	return check(b)
}

// hasMediaFiles reports whether dir holds both media files with this
// package's headers.
func hasMediaFiles(dir string) bool {
	return hasIVFHeader(filepath.Join(dir, VideoName)) && hasWAVHeader(filepath.Join(dir, AudioName))
}

// Verify re-hashes the media files of a finalised session and returns
// ErrMismatch when either differs from the manifest.
func Verify(dir string) (Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return m, err
	}
	if !m.Finalised() {
		return m, fmt.Errorf("%w: %s is not finalised (Recover it first)", ErrMismatch, dir)
	}
	for _, e := range []struct {
		name, sum string
		size      int64
	}{{VideoName, m.Video.SHA256, m.Video.Size}, {AudioName, m.Audio.SHA256, m.Audio.Size}} {
		size, sum, err := hashFile(filepath.Join(dir, e.name))
		if err != nil {
			return m, err
		}
		if size != e.size || sum != e.sum {
			return m, fmt.Errorf("%w: %s: %d bytes sha256 %s, manifest says %d bytes sha256 %s",
				ErrMismatch, e.name, size, sum, e.size, e.sum)
		}
	}
	return m, nil
}
