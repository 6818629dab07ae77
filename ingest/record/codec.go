package record

import (
	"errors"
	"fmt"
)

// errCodecLate is returned when the codec changes after frames were written.
var errCodecLate = errors.New("record: the video codec can only be set before the first frame")

// SetVideoCodec names the codec of the frames to come (an SDP rtpmap
// string such as "H264/90000"), for a call whose codec is known only when
// its track arrives. It rewrites the IVF tag and the manifest's codec and
// must be called before the first WriteVideo.
func (r *Recorder) SetVideoCodec(codec string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.usableLocked(); err != nil {
		return err
	}
	if r.m.Video.Frames > 0 {
		return errCodecLate
	}
	if _, err := r.v.f.WriteAt([]byte(ivfFourCC(codec)), 8); err != nil {
		return r.stopLocked(StopWriteError, fmt.Errorf("record: write %s: %w", VideoName, err))
	}
	r.cfg.VideoCodec, r.m.Video.Codec = codec, codec
	r.needManifest = true
	return nil
}
