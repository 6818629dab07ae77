package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"gocv.io/x/gocv"
	"golang.org/x/sync/errgroup"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/ingest/h264"
	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/ingest/vp8"
)

// displayQuality is the JPEG quality of the frames the player shows:
// close enough to the source for a reviewer to judge a face edge, about
// 15 KB per 360p frame.
const displayQuality = 85

// frameSource is a decoded input: a video file or a recorded call.
type frameSource interface {
	Frames(ctx context.Context, out chan<- analysis.Frame) error
	Close() error
}

// openDisplay opens path with the decoder the analyzer uses for it, so
// that frame i on screen is frame i of the analysis.
func openDisplay(ctx context.Context, path string) (frameSource, error) {
	if !record.IsSession(path) {
		return video.OpenFile(ctx, path)
	}
	m, err := record.ReadManifest(path)
	if err != nil {
		return nil, err
	}
	ivf := filepath.Join(path, record.VideoName)
	if strings.HasPrefix(strings.ToUpper(m.Video.Codec), "H264") {
		return h264.OpenIVF(ivf)
	}
	return vp8.OpenIVF(ivf)
}

// spoolFrames decodes src into spool as JPEGs, at frame.Index. A frame
// the decoder skipped is filled with the previous picture so that indices
// stay aligned with the analysis. onFrame is told the count so far.
func spoolFrames(ctx context.Context, src frameSource, spool *frameSpool, onFrame func(n int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan analysis.Frame, 2)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return src.Frames(gctx, ch) })
	g.Go(func() error {
		defer func() { // a stop leaves frames in the channel: close them
			for f := range ch {
				f.Close()
			}
		}()
		var last []byte
		for f := range ch {
			b, err := encodeFrame(f)
			f.Close()
			if err != nil {
				return fmt.Errorf("display frame %d: %w", f.Index, err)
			}
			for last != nil && spool.Len() < f.Index {
				if _, err := spool.Append(last); err != nil {
					return err
				}
			}
			if _, err := spool.Append(b); err != nil {
				return err
			}
			last = b
			if onFrame != nil {
				onFrame(spool.Len())
			}
		}
		return nil
	})
	return g.Wait()
}

// encodeFrame returns f's picture as a JPEG. It checks the Mat first:
// OpenCV aborts the process on an empty or odd image.
func encodeFrame(f analysis.Frame) ([]byte, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, f.Image, []int{gocv.IMWriteJpegQuality, displayQuality})
	if err != nil {
		return nil, err
	}
	defer buf.Close()
	b := buf.GetBytes()
	if len(b) == 0 {
		return nil, errors.New("empty JPEG")
	}
	return append([]byte(nil), b...), nil
}
