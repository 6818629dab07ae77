package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// WAV format tags (mmreg.h / RFC 2361).
const (
	wavFormatPCM        = 0x0001
	wavFormatFloat      = 0x0003
	wavFormatExtensible = 0xFFFE
)

// Header limits. go-audio/wav v1.1.0 trusts chunk sizes (it allocates a
// LIST or fmt chunk's declared size, and never checks that the data chunk
// fits), so ReadWAV walks the RIFF chunks itself and hands the decoder a
// canonical 44-byte header followed by the validated data bytes only.
const (
	maxChannels  = 8
	minRate      = 8000
	maxRate      = 192000
	absurdRate   = 10_000_000 // beyond any real converter: a corrupt header
	maxFmtSize   = 1024       // real fmt chunks are 16, 18 or 40 bytes
	maxChunks    = 4096       // chunks scanned before giving up
	readFrames   = 4096       // frames decoded per PCMBuffer call
	riffHdrBytes = 12
)

// wavInfo is what ReadWAV learns from the header.
type wavInfo struct {
	format   uint16 // wavFormatPCM or wavFormatFloat after resolving extensible
	channels int
	rate     int
	bits     int
	align    int   // bytes per frame
	dataOff  int64 // offset of the first sample
	dataSize int64 // whole frames only
}

// ReadWAV reads the WAV file at path and returns it as mono PCM at
// SampleRate: channels are averaged, then resampled. It accepts 8..192 kHz,
// 1..8 channels, 8/16/24/32-bit integer PCM and 32-bit IEEE float (plain or
// WAVE_FORMAT_EXTENSIBLE). A malformed, truncated or empty file gives
// ErrBadWAV; a valid but undecodable encoding ErrUnsupported; a file longer
// than MaxDuration ErrTooLong. Memory used is bounded by the file's size.
func ReadWAV(path string) (PCM, error) {
	f, err := os.Open(path)
	if err != nil {
		return PCM{}, fmt.Errorf("audio: read wav: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return PCM{}, fmt.Errorf("audio: read wav %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return PCM{}, fmt.Errorf("audio: read wav %s: not a regular file: %w", path, ErrBadWAV)
	}
	info, err := parseWAVHeader(f, st.Size())
	if err != nil {
		return PCM{}, fmt.Errorf("audio: read wav %s: %w", path, err)
	}
	frames := info.dataSize / int64(info.align)
	if frames > maxSamples(info.rate) {
		return PCM{}, fmt.Errorf("audio: read wav %s: %d frames at %d Hz: %w", path, frames, info.rate, ErrTooLong)
	}
	mono, err := decodeWAV(f, info, frames)
	if err != nil {
		return PCM{}, fmt.Errorf("audio: read wav %s: %w", path, err)
	}
	return Resample(mono, SampleRate), nil
}

// parseWAVHeader walks the RIFF chunks of r (size bytes long) and validates
// the fmt and data chunks.
func parseWAVHeader(r io.ReaderAt, size int64) (wavInfo, error) {
	var info wavInfo
	var hdr [riffHdrBytes]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return info, fmt.Errorf("RIFF header (%d-byte file): %w", size, ErrBadWAV)
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return info, fmt.Errorf("not a RIFF/WAVE file (starts %q): %w", hdr[0:4], ErrBadWAV)
	}
	var fmtChunk []byte
	haveData := false
	off := int64(riffHdrBytes)
	for n := 0; n < maxChunks && !(haveData && fmtChunk != nil); n++ {
		var ch [8]byte
		if _, err := r.ReadAt(ch[:], off); err != nil {
			break // no more chunks
		}
		id := string(ch[0:4])
		csize := int64(binary.LittleEndian.Uint32(ch[4:8]))
		body := off + 8
		switch id {
		case "fmt ":
			if fmtChunk != nil {
				return info, fmt.Errorf("second fmt chunk: %w", ErrBadWAV)
			}
			if csize < 16 || csize > maxFmtSize || body+csize > size {
				return info, fmt.Errorf("fmt chunk of %d bytes at offset %d in a %d-byte file: %w", csize, off, size, ErrBadWAV)
			}
			fmtChunk = make([]byte, csize)
			if _, err := r.ReadAt(fmtChunk, body); err != nil {
				return info, fmt.Errorf("fmt chunk: %v: %w", err, ErrBadWAV)
			}
		case "data":
			if !haveData {
				if body+csize > size {
					return info, fmt.Errorf("data chunk of %d bytes at offset %d but the file has %d (truncated): %w", csize, body, size, ErrBadWAV)
				}
				haveData = true
				info.dataOff, info.dataSize = body, csize
			}
		}
		off = body + csize + csize&1 // chunks are word aligned
	}
	if fmtChunk == nil {
		return info, fmt.Errorf("no fmt chunk: %w", ErrBadWAV)
	}
	if !haveData {
		return info, fmt.Errorf("no data chunk: %w", ErrBadWAV)
	}

	tag := binary.LittleEndian.Uint16(fmtChunk[0:2])
	info.channels = int(binary.LittleEndian.Uint16(fmtChunk[2:4]))
	rate := binary.LittleEndian.Uint32(fmtChunk[4:8])
	info.align = int(binary.LittleEndian.Uint16(fmtChunk[12:14]))
	info.bits = int(binary.LittleEndian.Uint16(fmtChunk[14:16]))
	info.format = tag
	if tag == wavFormatExtensible {
		// WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) SubFormat GUID(16);
		// the GUID's first two bytes are the plain format tag.
		if len(fmtChunk) < 40 || binary.LittleEndian.Uint16(fmtChunk[16:18]) < 22 {
			return info, fmt.Errorf("WAVE_FORMAT_EXTENSIBLE fmt chunk of %d bytes: %w", len(fmtChunk), ErrBadWAV)
		}
		info.format = binary.LittleEndian.Uint16(fmtChunk[24:26])
	}
	switch {
	case info.channels == 0:
		return info, fmt.Errorf("0 channels: %w", ErrBadWAV)
	case info.bits == 0:
		return info, fmt.Errorf("0 bits per sample: %w", ErrBadWAV)
	case rate == 0 || rate > absurdRate:
		return info, fmt.Errorf("sample rate %d Hz: %w", rate, ErrBadWAV)
	case info.bits%8 != 0 || info.align != info.channels*info.bits/8:
		return info, fmt.Errorf("block align %d for %d channels of %d bits: %w", info.align, info.channels, info.bits, ErrBadWAV)
	}
	info.rate = int(rate)
	switch {
	case info.format != wavFormatPCM && info.format != wavFormatFloat:
		return info, fmt.Errorf("format tag 0x%04x (only PCM 0x0001 and IEEE float 0x0003): %w", info.format, ErrUnsupported)
	case info.format == wavFormatFloat && info.bits != 32:
		return info, fmt.Errorf("%d-bit IEEE float (go-audio/wav v1.1.0 decodes at most 32 bits per sample): %w", info.bits, ErrUnsupported)
	case info.format == wavFormatPCM && info.bits > 32:
		return info, fmt.Errorf("%d-bit integer PCM: %w", info.bits, ErrUnsupported)
	case info.channels > maxChannels:
		return info, fmt.Errorf("%d channels (at most %d): %w", info.channels, maxChannels, ErrUnsupported)
	case info.rate < minRate || info.rate > maxRate:
		return info, fmt.Errorf("sample rate %d Hz (%d..%d): %w", info.rate, minRate, maxRate, ErrUnsupported)
	}
	info.dataSize -= info.dataSize % int64(info.align) // whole frames only
	if info.dataSize == 0 {
		return info, fmt.Errorf("data chunk holds no whole frame: %w", ErrBadWAV)
	}
	return info, nil
}

// decodeWAV decodes the validated data of f with go-audio/wav in chunks
// and averages the channels.
func decodeWAV(f *os.File, info wavInfo, frames int64) (PCM, error) {
	rs := &headerReader{
		hdr:  canonicalHeader(info),
		data: io.NewSectionReader(f, info.dataOff, info.dataSize),
	}
	dec := wav.NewDecoder(rs)
	if err := dec.FwdToPCM(); err != nil {
		return PCM{}, fmt.Errorf("go-audio/wav: %v: %w", err, ErrBadWAV)
	}
	ch := info.channels
	conv := sampleConverter(info)
	out := make([]float32, 0, frames)
	buf := &audio.IntBuffer{Data: make([]int, readFrames*ch)}
	inv := 1 / float32(ch)
	for {
		n, err := dec.PCMBuffer(buf)
		if err != nil {
			return PCM{}, fmt.Errorf("go-audio/wav: decode after %d frames: %v: %w", len(out), err, ErrBadWAV)
		}
		n -= n % ch
		if n <= 0 {
			break
		}
		for i := 0; i < n; i += ch {
			var s float32
			for _, v := range buf.Data[i : i+ch] {
				s += conv(v)
			}
			out = append(out, clamp(s*inv))
		}
	}
	if len(out) == 0 {
		return PCM{}, fmt.Errorf("no samples decoded: %w", ErrBadWAV)
	}
	return PCM{Rate: info.rate, Samples: out}, nil
}

// sampleConverter maps go-audio's integer samples to [-1, 1]. For 32-bit
// float, go-audio returns the little-endian word as an int32, so the bits
// are reinterpreted; NaN and infinities become 0 via clamp.
func sampleConverter(info wavInfo) func(int) float32 {
	if info.format == wavFormatFloat {
		return func(v int) float32 {
			x := math.Float32frombits(uint32(int32(v)))
			if math.IsInf(float64(x), 0) {
				return 0
			}
			return clamp(x)
		}
	}
	switch info.bits {
	case 8: // unsigned, offset 128
		return func(v int) float32 { return float32(v-128) / 128 }
	case 16:
		return func(v int) float32 { return float32(v) / (1 << 15) }
	case 24:
		return func(v int) float32 { return float32(v) / (1 << 23) }
	default:
		return func(v int) float32 { return float32(float64(v) / (1 << 31)) }
	}
}

// canonicalHeader is the 44-byte RIFF/WAVE header describing info.
func canonicalHeader(info wavInfo) []byte {
	h := make([]byte, 44)
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+info.dataSize))
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], info.format)
	le.PutUint16(h[22:], uint16(info.channels))
	le.PutUint32(h[24:], uint32(info.rate))
	le.PutUint32(h[28:], uint32(info.rate*info.align))
	le.PutUint16(h[32:], uint16(info.align))
	le.PutUint16(h[34:], uint16(info.bits))
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(info.dataSize))
	return h
}

// headerReader is an io.ReadSeeker over hdr followed by data.
type headerReader struct {
	hdr  []byte
	data *io.SectionReader
	off  int64
}

func (r *headerReader) Read(p []byte) (int, error) {
	if r.off < int64(len(r.hdr)) {
		n := copy(p, r.hdr[r.off:])
		r.off += int64(n)
		return n, nil
	}
	n, err := r.data.ReadAt(p, r.off-int64(len(r.hdr)))
	r.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (r *headerReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.off + offset
	case io.SeekEnd:
		abs = int64(len(r.hdr)) + r.data.Size() + offset
	default:
		return 0, errors.New("audio: bad whence")
	}
	if abs < 0 {
		return 0, errors.New("audio: negative seek")
	}
	r.off = abs
	return abs, nil
}
