package record

// Clock says where each file starts on the call's clock (zero at the
// first media packet of either track): IVF time 0 is VideoStartMS, the
// WAV's first sample AudioStartMS. A replay adds these so frames and
// voice line up as they did during the call.
type Clock struct {
	VideoStartMS int64 `json:"video_start_ms"`
	AudioStartMS int64 `json:"audio_start_ms"`
}

// SetClock records the tracks' starts; the next manifest write (at the
// latest, the flush after this call, and Close) carries them.
func (r *Recorder) SetClock(c Clock) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m.Clock = &c
	r.needManifest = true
}
