package video

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxFPS bounds a plausible frame rate. Containers that do not know the
// rate report their time base instead (WebM from browsers says 1000/1).
const maxFPS = 240

// probeJSON is the part of `ffprobe -print_format json -show_format
// -show_streams` that Info needs.
type probeJSON struct {
	Streams []probeStream `json:"streams"`
	Format  probeFormat   `json:"format"`
}

type probeFormat struct {
	FormatName string `json:"format_name"`
	Duration   num    `json:"duration"`
	BitRate    num    `json:"bit_rate"`
}

type probeStream struct {
	CodecName    string `json:"codec_name"`
	CodecType    string `json:"codec_type"`
	Width        num    `json:"width"`
	Height       num    `json:"height"`
	PixFmt       string `json:"pix_fmt"`
	AvgFrameRate string `json:"avg_frame_rate"`
	RFrameRate   string `json:"r_frame_rate"`
	NbFrames     num    `json:"nb_frames"`
	Duration     num    `json:"duration"`
	BitRate      num    `json:"bit_rate"`
	SampleRate   num    `json:"sample_rate"`
	Channels     num    `json:"channels"`
	Disposition  struct {
		AttachedPic num `json:"attached_pic"`
	} `json:"disposition"`
	Tags struct {
		Rotate num `json:"rotate"`
	} `json:"tags"`
	SideData []struct {
		Type     string `json:"side_data_type"`
		Rotation num    `json:"rotation"`
	} `json:"side_data_list"`
}

// num is a JSON number that ffprobe writes either bare or as a string, and
// as "N/A" when unknown. It keeps the text; conversions validate it.
type num string

// UnmarshalJSON accepts a number, a string or null.
func (n *num) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*n = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = num(strings.TrimSpace(s))
	default:
		*n = num(b)
	}
	return nil
}

// float returns the value when it is a finite number.
func (n num) float() (float64, bool) {
	if n == "" || n == "N/A" {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// int returns the value when it is a whole number in [0, limit].
func (n num) int(limit int64) (int64, bool) {
	if v, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return v, v >= 0 && v <= limit
	}
	v, ok := n.float()
	if !ok || v < 0 || v > float64(limit) || v >= math.MaxInt64 || v != math.Trunc(v) {
		return 0, false
	}
	return int64(v), true
}

// seconds converts a duration in seconds; unknown, negative or absurd
// values (over 100 years) give false.
func (n num) seconds() (time.Duration, bool) {
	v, ok := n.float()
	if !ok || v < 0 || v > 100*365*24*3600 {
		return 0, false
	}
	return time.Duration(math.Round(v * float64(time.Second))), true
}

// rational parses "num/den" (or a plain number) as a frame rate, giving
// false for 0/0, negative, or implausible rates.
func rational(s string) (float64, bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "/")
	n, ok := num(a).float()
	if !ok {
		return 0, false
	}
	d := 1.0
	if found {
		if d, ok = num(b).float(); !ok || d == 0 {
			return 0, false
		}
	}
	v := n / d
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > maxFPS {
		return 0, false
	}
	return v, true
}

// parseProbe turns ffprobe's JSON into an Info and checks that it is a
// video the engine can analyse: ErrNotVideo (unparseable, no video stream,
// a still image, no size), ErrTooSmall or ErrTooLarge. Path and SizeBytes
// are left to the caller. It never panics, whatever the input.
func parseProbe(data []byte) (Info, error) {
	var p probeJSON
	if err := json.Unmarshal(data, &p); err != nil {
		return Info{}, fmt.Errorf("%w: ffprobe output: %v", ErrNotVideo, err)
	}
	info := Info{Container: p.Format.FormatName}
	if info.Container == "image2" || strings.HasSuffix(info.Container, "_pipe") {
		return Info{}, fmt.Errorf("%w: a still image (%s)", ErrNotVideo, info.Container)
	}
	var vs, as *probeStream
	for i := range p.Streams {
		s := &p.Streams[i]
		switch {
		case s.CodecType == "video" && vs == nil && s.Disposition.AttachedPic != "1":
			vs = s
		case s.CodecType == "audio" && as == nil:
			as = s
		}
	}
	if vs == nil {
		return Info{}, fmt.Errorf("%w: no video stream", ErrNotVideo)
	}
	if err := fillVideo(&info, vs); err != nil {
		return Info{}, err
	}
	if d, ok := p.Format.Duration.seconds(); ok {
		info.Duration = d
	} else if d, ok := vs.Duration.seconds(); ok {
		info.Duration = d
	}
	if b, ok := p.Format.BitRate.int(math.MaxInt64); ok {
		info.Bitrate = b
	} else if b, ok := vs.BitRate.int(math.MaxInt64); ok {
		info.Bitrate = b
	}
	if as != nil {
		info.HasAudio = true
		info.AudioCodec = as.CodecName
		if r, ok := as.SampleRate.int(math.MaxInt32); ok {
			info.AudioRate = int(r)
		}
		if c, ok := as.Channels.int(1024); ok {
			info.AudioChannels = int(c)
		}
	}
	return info, nil
}

// fillVideo copies the video stream's fields into info and checks its size.
func fillVideo(info *Info, vs *probeStream) error {
	w, wok := vs.Width.int(math.MaxInt32)
	h, hok := vs.Height.int(math.MaxInt32)
	if !wok || !hok || w == 0 || h == 0 {
		return fmt.Errorf("%w: video stream %q has no frame size", ErrNotVideo, vs.CodecName)
	}
	info.Codec, info.Width, info.Height, info.PixFmt = vs.CodecName, int(w), int(h), vs.PixFmt
	switch {
	case w < MinSide || h < MinSide:
		return fmt.Errorf("%w: %dx%d, need at least %d px a side", ErrTooSmall, w, h, MinSide)
	case w > MaxSide || h > MaxSide:
		return fmt.Errorf("%w: %dx%d, at most %d px a side", ErrTooLarge, w, h, MaxSide)
	}
	if fps, ok := rational(vs.AvgFrameRate); ok {
		info.FPS = fps
	} else if fps, ok := rational(vs.RFrameRate); ok {
		info.FPS = fps
	}
	if n, ok := vs.NbFrames.int(math.MaxInt64); ok {
		info.DeclaredFrames = n
	}
	info.Rotation = rotation(vs)
	return nil
}

// rotation returns the clockwise display rotation. ffprobe prints the
// display matrix's angle counter-clockwise (av_display_rotation_get), which
// ffmpeg negates to decide how to turn the picture; the older "rotate" tag
// is already clockwise.
func rotation(vs *probeStream) int {
	for _, sd := range vs.SideData {
		if sd.Type != "Display Matrix" {
			continue
		}
		if r, ok := sd.Rotation.float(); ok {
			return normAngle(-r)
		}
	}
	if r, ok := vs.Tags.Rotate.float(); ok {
		return normAngle(r)
	}
	return 0
}

// normAngle rounds deg to a multiple of 90 in [0, 360).
func normAngle(deg float64) int {
	if math.Abs(deg) > 1e6 {
		return 0
	}
	q := int(math.Round(deg/90)) % 4
	if q < 0 {
		q += 4
	}
	return q * 90
}
