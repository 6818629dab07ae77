package record

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
)

// IVF layout (https://wiki.multimedia.cx/index.php/IVF): a 32-byte file
// header, then per frame a 12-byte header (uint32 size, uint64 timestamp,
// little-endian) and the frame bytes.
const (
	ivfHeaderSize      = 32
	ivfFrameHeaderSize = 12
	ivfCountOffset     = 24 // uint32 frame count in the file header
	ivfSizeOffset      = 12 // uint16 width, uint16 height
	// ivfTimebaseDen/Num: timestamps are in 1/1000 s. Bytes 16-19 of the
	// header hold the rate (denominator), 20-23 the scale (numerator), as
	// libvpx and FFmpeg read them.
	ivfTimebaseDen = 1000
	ivfTimebaseNum = 1
)

// ivfFourCC is the IVF codec tag for an SDP codec name: H.264 access
// units (Annex B, as received) are kept in the same container as VP8.
func ivfFourCC(codec string) string {
	if strings.HasPrefix(strings.ToUpper(codec), "H264") {
		return "H264"
	}
	return "VP80"
}

// ivfHeader returns the file header: the codec tag, the given size and
// frame count.
func ivfHeader(fourcc string, width, height uint16, frames uint32) []byte {
	h := make([]byte, ivfHeaderSize)
	copy(h[0:], "DKIF")
	binary.LittleEndian.PutUint16(h[4:], 0)  // version
	binary.LittleEndian.PutUint16(h[6:], 32) // header size
	copy(h[8:], fourcc)
	binary.LittleEndian.PutUint16(h[12:], width)
	binary.LittleEndian.PutUint16(h[14:], height)
	binary.LittleEndian.PutUint32(h[16:], ivfTimebaseDen)
	binary.LittleEndian.PutUint32(h[20:], ivfTimebaseNum)
	binary.LittleEndian.PutUint32(h[24:], frames)
	return h
}

// checkIVFHeader accepts only the header this package writes (any size
// and frame count): DKIF, version 0, 32 bytes, VP80 or H264, a 1/1000
// timebase.
func checkIVFHeader(h []byte) error {
	switch {
	case len(h) < ivfHeaderSize:
		return fmt.Errorf("%w: %s: %d-byte header", ErrCorrupt, VideoName, len(h))
	case string(h[0:4]) != "DKIF":
		return fmt.Errorf("%w: %s: no DKIF signature", ErrCorrupt, VideoName)
	case binary.LittleEndian.Uint16(h[4:]) != 0 || binary.LittleEndian.Uint16(h[6:]) != ivfHeaderSize:
		return fmt.Errorf("%w: %s: unknown IVF version or header size", ErrCorrupt, VideoName)
	case string(h[8:12]) != "VP80" && string(h[8:12]) != "H264":
		return fmt.Errorf("%w: %s: codec %q, want VP80 or H264", ErrCorrupt, VideoName, h[8:12])
	case binary.LittleEndian.Uint32(h[16:]) != ivfTimebaseDen || binary.LittleEndian.Uint32(h[20:]) != ivfTimebaseNum:
		return fmt.Errorf("%w: %s: timebase is not 1/1000", ErrCorrupt, VideoName)
	}
	return nil
}

// vp8KeyframeSize returns the size in a VP8 key frame's uncompressed
// header (RFC 6386 section 9.1): a 3-byte frame tag with bit 0 clear,
// the start code 9d 01 2a, then 14-bit width and height.
func vp8KeyframeSize(frame []byte) (w, h int, ok bool) {
	if len(frame) < 10 || frame[0]&1 != 0 || frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a {
		return 0, 0, false
	}
	w = int(binary.LittleEndian.Uint16(frame[6:]) & 0x3fff)
	h = int(binary.LittleEndian.Uint16(frame[8:]) & 0x3fff)
	return w, h, w > 0 && h > 0
}

// ivfScan is what scanIVF found in a file.
type ivfScan struct {
	headerFrames uint32 // frame count in the file header
	width        int
	height       int
	frames       int64 // complete frames
	keyframes    int64 // of which VP8 key frames
	end          int64 // offset just after the last complete frame
	maxPTS       int64
}

// scanIVF walks the frames of an IVF file of the given size and stops at
// the first frame that is incomplete or implausible (empty, over
// MaxFrameSize): everything from there on is the tail a crash left.
func scanIVF(f io.ReaderAt, size int64) (ivfScan, error) {
	var s ivfScan
	h := make([]byte, ivfHeaderSize)
	if size < ivfHeaderSize {
		return s, fmt.Errorf("%w: %s: %d bytes, shorter than its header", ErrCorrupt, VideoName, size)
	}
	if _, err := f.ReadAt(h, 0); err != nil {
		return s, fmt.Errorf("record: read %s: %w", VideoName, err)
	}
	if err := checkIVFHeader(h); err != nil {
		return s, err
	}
	s.headerFrames = binary.LittleEndian.Uint32(h[ivfCountOffset:])
	s.width = int(binary.LittleEndian.Uint16(h[12:]))
	s.height = int(binary.LittleEndian.Uint16(h[14:]))
	s.end = ivfHeaderSize
	br := bufio.NewReaderSize(io.NewSectionReader(f, ivfHeaderSize, size-ivfHeaderSize), 64<<10)
	fh := make([]byte, ivfFrameHeaderSize)
	for {
		if size-s.end < ivfFrameHeaderSize {
			return s, nil
		}
		if _, err := io.ReadFull(br, fh); err != nil {
			return s, fmt.Errorf("record: read %s: %w", VideoName, err)
		}
		n := int64(binary.LittleEndian.Uint32(fh))
		pts := binary.LittleEndian.Uint64(fh[4:])
		if n == 0 || n > MaxFrameSize || n > size-s.end-ivfFrameHeaderSize || pts > 1<<62 {
			return s, nil
		}
		first, err := br.Peek(1)
		if err != nil {
			return s, fmt.Errorf("record: read %s: %w", VideoName, err)
		}
		if first[0]&1 == 0 {
			s.keyframes++
		}
		if _, err := br.Discard(int(n)); err != nil {
			return s, fmt.Errorf("record: read %s: %w", VideoName, err)
		}
		s.frames++
		s.maxPTS = max(s.maxPTS, int64(pts))
		s.end += ivfFrameHeaderSize + n
	}
}

// repairIVF truncates f after its last complete frame and writes the
// real frame count into the header. It returns the scan and the number
// of bytes cut.
func repairIVF(f *os.File) (ivfScan, int64, error) {
	st, err := f.Stat()
	if err != nil {
		return ivfScan{}, 0, fmt.Errorf("record: stat %s: %w", VideoName, err)
	}
	s, err := scanIVF(f, st.Size())
	if err != nil {
		return s, 0, err
	}
	if s.frames > int64(^uint32(0)) {
		return s, 0, fmt.Errorf("%w: %s: more than 2^32 frames", ErrCorrupt, VideoName)
	}
	cut := st.Size() - s.end
	if cut > 0 {
		if err := f.Truncate(s.end); err != nil {
			return s, 0, fmt.Errorf("record: truncate %s: %w", VideoName, err)
		}
	}
	if uint32(s.frames) != s.headerFrames {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(s.frames))
		if _, err := f.WriteAt(b[:], ivfCountOffset); err != nil {
			return s, 0, fmt.Errorf("record: write %s: %w", VideoName, err)
		}
	}
	return s, cut, nil
}

// hasIVFHeader reports whether path starts with this package's IVF header.
func hasIVFHeader(path string) bool {
	return hasHeader(path, ivfHeaderSize, checkIVFHeader)
}

// hasHeader reads n bytes of path and checks them.
func hasHeader(path string, n int, check func([]byte) error) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := io.ReadFull(f, b); err != nil {
		return false
	}
	return check(b) == nil
}
