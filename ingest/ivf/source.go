package ivf

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"sync"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// probeFrames frame headers are read at open to estimate the rate.
const probeFrames = 64

// Decoder decodes the frames of one stream, in order, into BGR pictures;
// package vp8 and h264 wrap their Decoder in one.
type Decoder interface {
	// Decode writes frame's picture into dst as BGR, reallocating dst when
	// its size changes; it does not retain frame. After Close it returns an
	// error wrapping ErrClosed.
	Decode(frame []byte, dst *gocv.Mat) error
	// SkipToKeyframe makes the decoder refuse inter frames until the next
	// keyframe: Source calls it after skipping a frame unread.
	SkipToKeyframe()
	// Close releases the decoder. It waits for a Decode in progress and is
	// idempotent.
	Close() error
}

// Codec tells a Source what an IVF file of one codec holds and how to
// decode it.
type Codec struct {
	// Name starts error messages: "vp8".
	Name string
	// FourCC is the header's codec tag: "VP80".
	FourCC string
	// MaxFrameSize bounds a frame in bytes; a larger one is skipped unread
	// and counted as skipped.
	MaxFrameSize int64
	// NewDecoder returns a decoder for one replay; Source closes it.
	NewDecoder func() (Decoder, error)
	// CheckSize refuses the header's picture size with an error (wrapped
	// with ErrBadHeader); nil accepts any size.
	CheckSize func(w, h int) error
	// Picture returns the picture size the first frame declares, zero when
	// it declares none. first is nil when that frame is over MaxFrameSize.
	// Nil leaves Info.Picture zero.
	Picture func(first []byte) image.Point
	// NoPicture reports whether err, returned by Decode for frame, means a
	// frame with nothing to show that is not a failure (counted as Hidden,
	// not Skipped). Nil counts every error as skipped.
	NoPicture func(frame []byte, err error) bool
}

// Stats counts what a Source has read so far.
type Stats struct {
	FramesRead int64 `json:"frames_read"` // complete frames read from the file
	Decoded    int64 `json:"decoded"`     // frames decoded and handed on
	// Skipped counts frames that did not decode: corrupt, too large, or
	// inter frames waiting for a keyframe after that.
	Skipped int64 `json:"skipped"`
	// Hidden counts frames with nothing to show, which is no failure
	// (Codec.NoPicture).
	Hidden int64 `json:"hidden"`
	// Truncated is set when the file ends inside a frame or frame header
	// (a recorder that crashed). The frames before it are good, so this is
	// not an error.
	Truncated bool `json:"truncated"`
	EOF       bool `json:"eof"`
}

// Option configures Open and New.
type Option func(*options)

type options struct{ num, den uint32 }

// WithTimebase makes one timestamp unit num/den seconds instead of what the
// header says. pion's ivfwriter without WithDirectPTS writes timestamps of
// milliseconds×num/den (its header's num/den), so such a file needs
// WithTimebase(den, 1000×num): WithTimebase(30, 1000) for its default
// header. Zero values keep the header's timebase.
func WithTimebase(num, den uint32) Option {
	return func(o *options) {
		if num > 0 && den > 0 {
			o.num, o.den = num, den
		}
	}
}

// Source replays the frames of an IVF file through a codec's Decoder as
// analysis frames. Frames must be called from one goroutine; Info, Stats
// and Close are safe for concurrent use.
type Source struct {
	info  Info
	codec Codec

	mu      sync.Mutex // held while reading and decoding; guards below
	file    io.Closer
	recs    records
	dec     Decoder
	clock   clock
	closed  bool
	eof     bool
	next    int
	lastErr error

	statsMu sync.Mutex
	stats   Stats
}

// Open opens the IVF file at path and checks its header: an error wrapping
// ErrNotIVF, ErrCodec or ErrBadHeader rejects it. It reads the first frame
// headers to estimate the frame rate. The caller must Close the source.
func Open(path string, c Codec, opts ...Option) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: open ivf: %w", c.Name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: open ivf: %w", c.Name, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: open ivf %s: %w: not a regular file", c.Name, path, ErrNotIVF)
	}
	s, err := New(f, path, c, opts...)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.file = f
	return s, nil
}

// New replays the IVF stream in r, named path in Info and messages, as
// Open does; Close does not close r.
func New(r io.ReadSeeker, path string, c Codec, opts ...Option) (*Source, error) {
	fail := func(err error) error { return fmt.Errorf("%s: open ivf %s: %w", c.Name, path, err) }
	size, err := r.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = r.Seek(0, io.SeekStart)
	}
	if err != nil {
		return nil, fail(err)
	}
	if size == 0 {
		return nil, fail(fmt.Errorf("%w: file is empty", ErrNotIVF))
	}
	h, err := readHeader(r)
	if err != nil {
		return nil, fail(err)
	}
	if h.fourcc != c.FourCC {
		return nil, fail(fmt.Errorf("%w: fourcc %q, want %q", ErrCodec, h.fourcc, c.FourCC))
	}
	if c.CheckSize != nil {
		if err := c.CheckSize(h.width, h.height); err != nil {
			return nil, fail(fmt.Errorf("%w: %v", ErrBadHeader, err))
		}
	}
	if h.num == 0 || h.den == 0 {
		return nil, fail(fmt.Errorf("%w: timebase %d/%d", ErrBadHeader, h.num, h.den))
	}
	info := Info{Path: path, Width: h.width, Height: h.height, Frames: h.frames, TimebaseNum: h.num, TimebaseDen: h.den}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.num > 0 {
		info.TimebaseNum, info.TimebaseDen = o.num, o.den
	}
	recs := records{r: r, left: size - fileHeaderSize, max: c.MaxFrameSize}
	probe(&recs, c, &info)
	if _, err := r.Seek(fileHeaderSize, io.SeekStart); err != nil {
		return nil, fail(err)
	}
	dec, err := c.NewDecoder()
	if err != nil {
		return nil, err
	}
	return &Source{
		info:  info,
		codec: c,
		recs:  records{r: bufio.NewReaderSize(r, 64<<10), left: size - fileHeaderSize, max: c.MaxFrameSize, buf: recs.buf},
		dec:   dec,
		clock: newClock(info.TimebaseNum, info.TimebaseDen, info.FPS),
	}, nil
}

// probe reads up to probeFrames records to estimate the frame rate and the
// first frame's picture size. It stops quietly at the end of the file, a
// truncated record or a read error; Frames reports those.
func probe(recs *records, c Codec, info *Info) {
	var first, last uint64
	n := 0
	for ; n < probeFrames; n++ {
		rec, err := recs.next()
		if err != nil {
			break
		}
		if n == 0 {
			first = rec.pts
			if c.Picture != nil {
				info.Picture = c.Picture(rec.data)
			}
		}
		last = rec.pts
	}
	info.FPS = estimateFPS(n, first, last, info.TimebaseNum, info.TimebaseDen)
}

// Info returns what Open found. It never changes.
func (s *Source) Info() Info { return s.info }

// Stats returns the counters so far.
func (s *Source) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats
}

// count updates the stats under statsMu.
func (s *Source) count(fn func(*Stats)) {
	s.statsMu.Lock()
	fn(&s.stats)
	s.statsMu.Unlock()
}

// Frames decodes the remaining frames and sends each picture on out in a
// new Mat that the receiver owns and must Close, then closes out.
// Frame.Index is the frame's position in the file and Frame.Time its
// timestamp relative to the first frame's, strictly increasing. Frames
// that fail to decode are skipped and counted in Stats; the decoder then
// resumes at the next keyframe, so pictures may change size there.
//
// Frames returns nil at the end of the file, including a file cut inside
// its last frame; ctx.Err() when ctx ends (closing the frame it held); an
// error wrapping ErrNoFrames when not one frame decoded; ErrClosed after
// Close; and read errors.
func (s *Source) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	defer close(out)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, ok, err := s.read()
		switch {
		case errors.Is(err, io.EOF):
			return s.end()
		case err != nil:
			return err
		case !ok:
			continue
		}
		select {
		case out <- f:
		case <-ctx.Done():
			f.Close()
			return ctx.Err()
		}
	}
}

// end reports ErrNoFrames when the file ended without a decoded frame.
func (s *Source) end() error {
	st := s.Stats()
	if st.Decoded > 0 {
		return nil
	}
	s.mu.Lock()
	last := s.lastErr
	s.mu.Unlock()
	if last == nil {
		return fmt.Errorf("%s: %s: %w: %d frames read", s.codec.Name, s.info.Path, ErrNoFrames, st.FramesRead)
	}
	return fmt.Errorf("%s: %s: %w: %d frames read, last error: %v", s.codec.Name, s.info.Path, ErrNoFrames, st.FramesRead, last)
}

// read reads one frame from the file and decodes it. ok is false for a
// frame that gave no picture; io.EOF ends the file.
func (s *Source) read() (f analysis.Frame, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return f, false, fmt.Errorf("%s: %s: %w", s.codec.Name, s.info.Path, ErrClosed)
	case s.eof:
		return f, false, io.EOF
	}
	rec, err := s.recs.next()
	if err != nil {
		return f, false, s.stop(err)
	}
	f.Index, f.Time = s.next, s.clock.time(rec.pts)
	s.next++
	if rec.size > s.codec.MaxFrameSize {
		// Skipped unread; the decoder would refuse it (and what follows
		// until a keyframe) all the same.
		err = fmt.Errorf("%d bytes, over %d", rec.size, s.codec.MaxFrameSize)
		s.dec.SkipToKeyframe()
	} else if err = s.dec.Decode(rec.data, &f.Image); err == nil {
		err = analysis.ValidateBGR(f.Image)
	}
	hidden := err != nil && s.codec.NoPicture != nil && s.codec.NoPicture(rec.data, err)
	s.count(func(st *Stats) {
		st.FramesRead++
		switch {
		case err == nil:
			st.Decoded++
		case hidden:
			st.Hidden++
		default:
			st.Skipped++
		}
	})
	if err == nil {
		return f, true, nil
	}
	f.Close()
	if !hidden {
		s.lastErr = fmt.Errorf("frame %d: %w", f.Index, err)
	}
	if errors.Is(err, ErrClosed) {
		return f, false, err
	}
	return f, false, nil
}

// stop ends the stream at a read error: io.EOF at a frame boundary is the
// normal end, io.ErrUnexpectedEOF a truncated last frame. Both give io.EOF.
func (s *Source) stop(err error) error {
	truncated := errors.Is(err, io.ErrUnexpectedEOF)
	if !truncated && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %s: read: %w", s.codec.Name, s.info.Path, err)
	}
	s.eof = true
	s.count(func(st *Stats) { st.EOF, st.Truncated = true, truncated })
	return io.EOF
}

// Close releases the decoder and the file. It waits for a frame being
// decoded and is idempotent.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.dec.Close()
	if s.file != nil {
		if cerr := s.file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
