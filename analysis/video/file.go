package video

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"sync"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// FileSource decodes the frames of a video file in order, as 8-bit BGR.
// Read and Frames must be called from one goroutine; Info, Stats and Close
// are safe for concurrent use.
type FileSource struct {
	info Info

	mu     sync.Mutex // held while decoding; guards the fields below
	vc     *gocv.VideoCapture
	closed bool
	eof    bool
	next   int         // index of the next frame
	size   image.Point // size of the first frame; every frame must match
	clock  clock

	statsMu sync.Mutex
	stats   Stats
}

// Stats counts what a FileSource has read so far.
type Stats struct {
	// FramesRead counts frames returned without error.
	FramesRead int64 `json:"frames_read"`
	// ReadErrors counts frames that were decoded but rejected with
	// analysis.ErrBadFrame.
	ReadErrors int64 `json:"read_errors"`
	// Expected is Info.ExpectedFrames: the declared frame count, or
	// duration×fps; 0 when unknown.
	Expected int64 `json:"expected_frames"`
	// EOF is true once the decoder has no more frames.
	EOF bool `json:"eof"`
	// Truncated is set at EOF when the frames decoded (read or rejected)
	// fall short of Expected by more than max(2, Expected/20): the file was
	// cut short (a crashed recorder, an unfinished copy). Complete files
	// decode exactly Expected frames in every container tested; the margin
	// absorbs edit lists and rounding in duration×fps. The frames read are
	// still good, so this is not an error.
	Truncated bool `json:"truncated"`
}

// OpenFile probes the file at path (see Probe, whose errors it returns) and
// opens it for decoding with OpenCV's FFmpeg backend. The caller must Close
// the source.
func OpenFile(ctx context.Context, path string) (*FileSource, error) {
	info, err := Probe(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("video: open %s: %w", path, err)
	}
	vc, err := gocv.VideoCaptureFileWithAPI(info.Path, gocv.VideoCaptureFFmpeg)
	if err != nil || !vc.IsOpened() {
		vc.Close()
		return nil, fmt.Errorf("video: open %s: %w: OpenCV's FFmpeg backend cannot open it", path, ErrNotVideo)
	}
	fps := info.FPS
	if fps <= 0 {
		fps = vc.Get(gocv.VideoCaptureFPS)
	}
	return &FileSource{
		info:  info,
		vc:    vc,
		clock: newClock(fps),
		stats: Stats{Expected: info.ExpectedFrames()},
	}, nil
}

// Info returns what Probe found. It never changes.
func (s *FileSource) Info() Info { return s.info }

// Stats returns the counters so far.
func (s *FileSource) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats
}

// Read decodes the next frame into f.Image and sets f.Index and f.Time. The
// caller owns f.Image and should pass the same Mat on every call: decoding
// then reuses its memory and allocates nothing. A zero or closed f.Image is
// replaced by a new Mat, which the caller then owns.
//
// f.Time comes from the container's timestamps, or index/fps where it has
// none, and strictly increases. Read returns io.EOF after the last frame,
// ErrClosed after Close, and an error wrapping analysis.ErrBadFrame for a
// frame that is not valid BGR or whose size differs from the first frame's;
// reading may continue after a bad frame.
func (s *FileSource) Read(f *analysis.Frame) error {
	if f == nil {
		return fmt.Errorf("video: read: %w", errNilFrame)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return ErrClosed
	case s.eof:
		return io.EOF
	}
	if f.Image.Ptr() == nil {
		f.Image = gocv.NewMat()
	}
	if !s.vc.Read(&f.Image) {
		s.eof = true
		s.finish()
		return io.EOF
	}
	f.Index = s.next
	s.next++
	if err := s.check(f.Image); err != nil {
		s.count(&s.stats.ReadErrors)
		return fmt.Errorf("video: %s: frame %d: %w", s.info.Path, f.Index, err)
	}
	f.Time = s.clock.next(f.Index, s.vc.Get(gocv.VideoCapturePosMsec))
	s.count(&s.stats.FramesRead)
	return nil
}

// check validates a decoded frame before anything else touches it. The
// first valid frame fixes the size for the rest of the file.
func (s *FileSource) check(m gocv.Mat) error {
	if err := analysis.ValidateBGR(m); err != nil {
		return err
	}
	size := image.Pt(m.Cols(), m.Rows())
	if s.size == (image.Point{}) {
		s.size = size
		return nil
	}
	if size != s.size {
		return fmt.Errorf("%w: size changed from %dx%d to %dx%d", analysis.ErrBadFrame, s.size.X, s.size.Y, size.X, size.Y)
	}
	return nil
}

// count increments one counter under statsMu.
func (s *FileSource) count(c *int64) {
	s.statsMu.Lock()
	*c++
	s.statsMu.Unlock()
}

// finish records EOF and decides whether the file was truncated.
func (s *FileSource) finish() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.EOF = true
	got, want := s.stats.FramesRead+s.stats.ReadErrors, s.stats.Expected
	s.stats.Truncated = want > 0 && got < want-max(2, want/20)
}

// Frames sends every remaining frame on out, each in a new Mat that the
// receiver owns and must Close, then closes out. It returns nil at the end
// of the file, ctx.Err() when ctx ends (closing the frame it held), and the
// first Read error otherwise, including bad frames. Frames and Read must not
// be used at the same time.
func (s *FileSource) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	defer close(out)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		f := analysis.Frame{Image: gocv.NewMat()}
		if err := s.Read(&f); err != nil {
			f.Close()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		select {
		case out <- f:
		case <-ctx.Done():
			f.Close()
			return ctx.Err()
		}
	}
}

// Close releases the decoder. It waits for a Read in progress, and is
// idempotent.
func (s *FileSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.vc.Close()
}
