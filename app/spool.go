package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// frameSpool keeps the JPEG of every decoded frame of a reviewed input in
// one file on disk, so the player can show any frame without decoding the
// input again and without holding the whole video in memory (a 200 s
// 360p interview is about 75 MB of JPEGs). Safe for concurrent use: one
// writer appends while the handler reads.
type frameSpool struct {
	mu      sync.RWMutex
	f       *os.File
	offsets []int64 // start of frame i; the end is offsets[i+1] or size
	size    int64
	closed  bool
}

// maxSpoolFrame bounds one JPEG; a decoded 4K frame at the spool's
// quality is well under it.
const maxSpoolFrame = 8 << 20

var errSpoolClosed = errors.New("frame spool closed")

func newFrameSpool(path string) (*frameSpool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("frame spool: %w", err)
	}
	return &frameSpool{f: f}, nil
}

// Append stores the next frame's JPEG and returns its index.
func (s *frameSpool) Append(jpeg []byte) (int, error) {
	if len(jpeg) == 0 || len(jpeg) > maxSpoolFrame {
		return 0, fmt.Errorf("frame spool: frame of %d bytes", len(jpeg))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errSpoolClosed
	}
	if _, err := s.f.WriteAt(jpeg, s.size); err != nil {
		return 0, fmt.Errorf("frame spool: %w", err)
	}
	s.offsets = append(s.offsets, s.size)
	s.size += int64(len(jpeg))
	return len(s.offsets) - 1, nil
}

// Len is the number of frames stored so far.
func (s *frameSpool) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.offsets)
}

// Frame returns frame i's JPEG; ok is false when it is not (yet) stored.
func (s *frameSpool) Frame(i int) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, errSpoolClosed
	}
	if i < 0 || i >= len(s.offsets) {
		return nil, false, nil
	}
	end := s.size
	if i+1 < len(s.offsets) {
		end = s.offsets[i+1]
	}
	b := make([]byte, end-s.offsets[i])
	if _, err := s.f.ReadAt(b, s.offsets[i]); err != nil && !errors.Is(err, io.EOF) {
		return nil, false, fmt.Errorf("frame spool: %w", err)
	}
	return b, true, nil
}

// Close closes and removes the spool file. Idempotent.
func (s *frameSpool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Close()
	os.Remove(s.f.Name())
	return err
}
