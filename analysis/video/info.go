package video

import (
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
)

// MinSide is the smallest video width or height the engine accepts. The
// smallest face the detectors find is about 40 px wide (the Haar cascades'
// windows are 20-24 px, and a face box that small leaves dlib's 68
// landmarks a few pixels apart), so a frame under 64 px on a side cannot
// hold an analysable face with any margin around it. It is stricter than
// analysis.MinFrameSide, which guards OpenCV calls, not the analysis.
const MinSide = 64

// MaxSide is the largest video width or height accepted: analysis.MaxFrameSide.
const MaxSide = analysis.MaxFrameSide

// Info describes a video file, as ffprobe reports it. Zero values mean the
// container did not say.
type Info struct {
	Path      string        `json:"path"`       // absolute path
	SizeBytes int64         `json:"size_bytes"` // file size
	Container string        `json:"container"`  // ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Duration  time.Duration `json:"duration_ns"`
	Bitrate   int64         `json:"bitrate"` // overall bits per second

	// The first video stream (cover art is skipped).
	Codec  string `json:"codec"` // e.g. "h264", "vp8"
	Width  int    `json:"width"` // coded size, before Rotation
	Height int    `json:"height"`
	// FPS is avg_frame_rate, or r_frame_rate when the average is unknown;
	// 0 when neither is a plausible frame rate.
	FPS float64 `json:"fps"`
	// DeclaredFrames is the stream's nb_frames when the container records
	// it (MP4, AVI); Matroska and WebM usually do not.
	DeclaredFrames int64  `json:"declared_frames"`
	PixFmt         string `json:"pix_fmt"` // e.g. "yuv420p"
	// Rotation is the clockwise rotation in degrees (0, 90, 180 or 270)
	// that the container's display matrix (or older "rotate" tag) asks a
	// player to apply. FileSource does not apply it.
	Rotation int `json:"rotation"`

	// The first audio stream.
	HasAudio      bool   `json:"has_audio"`
	AudioCodec    string `json:"audio_codec"`
	AudioRate     int    `json:"audio_rate"` // samples per second
	AudioChannels int    `json:"audio_channels"`
}

// ExpectedFrames is DeclaredFrames when known, else Duration×FPS rounded,
// else 0.
func (i Info) ExpectedFrames() int64 {
	if i.DeclaredFrames > 0 {
		return i.DeclaredFrames
	}
	n := math.Round(i.Duration.Seconds() * i.FPS)
	if n <= 0 || n > math.MaxInt32 || math.IsNaN(n) {
		return 0
	}
	return int64(n)
}
