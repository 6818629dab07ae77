package record

import (
	"fmt"
	"time"
)

// Defaults of Config. Each is justified where it is used in doc.go.
const (
	// DefaultFlushInterval is how often the media headers are brought up
	// to date and the files fsynced.
	DefaultFlushInterval = 2 * time.Second
	// DefaultMaxBytes caps video.ivf plus audio.wav (4 GiB: about three
	// hours of 2.5 Mbit/s VP8 plus 48 kHz mono audio).
	DefaultMaxBytes int64 = 4 << 30
	// DefaultAudioGapThreshold is the timeline error below which audio is
	// written as it comes (half of a 20 ms Opus packet, so one lost
	// packet is always filled).
	DefaultAudioGapThreshold = 10 * time.Millisecond
	// DefaultMaxAudioGap caps the silence one gap may insert.
	DefaultMaxAudioGap = 5 * time.Minute

	// MaxFrameSize is the largest video frame WriteVideo accepts (4 MiB;
	// a 1080p VP8 key frame at high quality is well under 1 MiB).
	MaxFrameSize = 4 << 20
	// MaxDeviceFacts is the largest device-facts document SetDeviceFacts
	// accepts (64 KiB).
	MaxDeviceFacts = 64 << 10
)

// Config configures a Recorder. The zero value means defaults everywhere,
// except SessionID, which is random when empty.
type Config struct {
	// SessionID names the session in the manifest. Empty: 128 random bits
	// in hex.
	SessionID string
	// VideoCodec and AudioCodec describe the received streams for the
	// manifest, as SDP rtpmap strings. Defaults "VP8/90000" and
	// "opus/48000/2". The recorder stores the frames as received in IVF,
	// tagged H264 for an "H264/..." codec and VP80 otherwise, and the
	// audio as decoded 48 kHz mono PCM.
	VideoCodec string
	AudioCodec string
	// DeviceFacts, when set, is stored in the first manifest, as if
	// SetDeviceFacts had been called.
	DeviceFacts []byte
	// FlushInterval is how often headers are updated and files fsynced.
	// Zero: DefaultFlushInterval. At least 10 ms.
	FlushInterval time.Duration
	// MaxBytes caps the total size of video.ivf and audio.wav; reaching it
	// stops the recording with ErrSizeCap. Zero: DefaultMaxBytes.
	MaxBytes int64
	// AudioGapThreshold: a timeline error of the audio larger than this is
	// corrected (silence inserted, or an overlap dropped). Zero:
	// DefaultAudioGapThreshold.
	AudioGapThreshold time.Duration
	// MaxAudioGap caps the silence inserted for one gap; the rest of a
	// longer gap is treated as a timestamp discontinuity. Zero:
	// DefaultMaxAudioGap.
	MaxAudioGap time.Duration
}

// withDefaults returns c with zero fields set to the defaults, or an error
// for values that make no sense.
func (c Config) withDefaults() (Config, error) {
	if c.VideoCodec == "" {
		c.VideoCodec = "VP8/90000"
	}
	if c.AudioCodec == "" {
		c.AudioCodec = "opus/48000/2"
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = DefaultFlushInterval
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.AudioGapThreshold == 0 {
		c.AudioGapThreshold = DefaultAudioGapThreshold
	}
	if c.MaxAudioGap == 0 {
		c.MaxAudioGap = DefaultMaxAudioGap
	}
	switch {
	case c.FlushInterval < 10*time.Millisecond:
		return c, fmt.Errorf("record: FlushInterval %v is under 10ms", c.FlushInterval)
	case c.MaxBytes < 0:
		return c, fmt.Errorf("record: negative MaxBytes %d", c.MaxBytes)
	case c.AudioGapThreshold < 0 || c.MaxAudioGap < 0:
		return c, fmt.Errorf("record: negative audio gap setting")
	case len(c.SessionID) > 256:
		return c, fmt.Errorf("record: SessionID longer than 256 bytes")
	}
	return c, nil
}
