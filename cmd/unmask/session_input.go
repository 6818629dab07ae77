package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/ingest/devices"
	"github.com/unmaskhq/unmask/ingest/h264"
	"github.com/unmaskhq/unmask/ingest/ivf"
	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/ingest/vp8"
)

// engineSource is what runEngine analyses: a video file or a recorded call.
type engineSource interface {
	pipeline.Source
	Info() video.Info
	Stats() video.Stats
}

// callSource replays a recorded call: the frames as received (VP8 or
// H.264), on the call's clock (the IVF's times plus the video's start).
type callSource struct {
	ivf   *ivf.Source
	info  video.Info
	start time.Duration
}

// openIVF opens the recording's video with the decoder of its codec.
func openIVF(path, codec string) (*ivf.Source, error) {
	if strings.HasPrefix(strings.ToUpper(codec), "H264") {
		return h264.OpenIVF(path)
	}
	return vp8.OpenIVF(path)
}

// callInput is a recorded call opened for analysis.
type callInput struct {
	src        *callSource
	wav        string        // the voice, "" when none was recorded
	voiceStart time.Duration // where on the frames' clock the voice starts
	findings   []devices.Finding
}

// openCall opens a finished recording made by `unmask serve`.
func openCall(dir string) (*callInput, error) {
	m, err := record.ReadManifest(dir)
	if err != nil {
		return nil, fail(exitInput, err)
	}
	if !m.Finalised() {
		return nil, fail(exitInput, fmt.Errorf("%s is a recording that was never finished (the server was killed?); run `unmask recover %s` first", dir, dir))
	}
	path := filepath.Join(dir, record.VideoName)
	src, err := openIVF(path, m.Video.Codec)
	if err != nil {
		return nil, fail(exitInput, err)
	}
	vi := src.Info()
	pic := vi.Picture
	if pic.X == 0 { // no size in the first frame: the header's
		pic = image.Pt(vi.Width, vi.Height)
	}
	abs, _ := filepath.Abs(path)
	st, _ := os.Stat(path)
	codec := "vp8"
	if strings.HasPrefix(strings.ToUpper(m.Video.Codec), "H264") {
		codec = "h264"
	}
	info := video.Info{Path: abs, Container: "ivf", Codec: codec, Width: pic.X, Height: pic.Y,
		FPS: vi.FPS, Duration: time.Duration(m.Video.DurationMS) * time.Millisecond, DeclaredFrames: m.Video.Frames}
	if st != nil {
		info.SizeBytes = st.Size()
	}
	in := &callInput{src: &callSource{ivf: src, info: info}}
	if m.Clock != nil {
		in.src.start = time.Duration(m.Clock.VideoStartMS) * time.Millisecond
		in.voiceStart = time.Duration(m.Clock.AudioStartMS) * time.Millisecond
	}
	if m.Audio.Samples > 0 {
		in.wav = filepath.Join(dir, record.AudioName)
		info.HasAudio, info.AudioCodec, info.AudioRate, info.AudioChannels = true, "pcm_s16le", m.Audio.SampleRate, 1
		in.src.info = info
	}
	in.findings = callFindings(m, info)
	return in, nil
}

// callFindings are the device findings of the live call, from the facts
// its manifest kept: the same judgement the live call made.
func callFindings(m record.Manifest, info video.Info) []devices.Finding {
	if len(m.Device) == 0 {
		return nil
	}
	f, err := devices.ParseFacts(m.Device)
	if err != nil {
		return nil
	}
	out := devices.Assess(f)
	if f.VideoTrack != nil {
		got := devices.Received{Width: info.Width, Height: info.Height, Frames: int(m.Video.Frames), Span: info.Duration}
		out = append(out, devices.CompareReceived(f.VideoTrack.Settings, got)...)
	}
	return out
}

func (s *callSource) Info() video.Info { return s.info }

func (s *callSource) Stats() video.Stats {
	st := s.ivf.Stats()
	return video.Stats{FramesRead: st.Decoded, ReadErrors: st.Skipped, Expected: s.info.DeclaredFrames, EOF: st.EOF, Truncated: st.Truncated}
}

func (s *callSource) Close() error { return s.ivf.Close() }

// Frames shifts the IVF's times by the video's start on the call clock.
func (s *callSource) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	in := make(chan analysis.Frame)
	errc := make(chan error, 1)
	go func() { errc <- s.ivf.Frames(ctx, in) }()
	defer close(out)
	for f := range in {
		f.Time += s.start
		select {
		case out <- f:
		case <-ctx.Done():
			f.Close()
			for g := range in {
				g.Close()
			}
			return errors.Join(ctx.Err(), <-errc)
		}
	}
	return <-errc
}

// isCall reports whether path is a recording folder.
func isCall(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir() && record.IsSession(path)
}
