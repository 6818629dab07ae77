package record

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// WAV layout: the canonical 44-byte header (RIFF, WAVE, a 16-byte PCM fmt
// chunk, the data chunk header), then little-endian 16-bit samples.
const (
	wavHeaderSize     = 44
	wavRIFFSizeOffset = 4
	wavDataSizeOffset = 40
	// SampleRate is the rate of WriteAudio's PCM, its RTP clock and the WAV.
	SampleRate = 48000
	// maxWAVData is the largest data chunk the 32-bit RIFF sizes allow.
	maxWAVData = math.MaxUint32 - (wavHeaderSize - 8)
)

// wavHeader returns the header of a 48 kHz mono 16-bit PCM WAV holding
// dataLen bytes of samples.
func wavHeader(dataLen uint32) []byte {
	h := make([]byte, wavHeaderSize)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], dataLen+wavHeaderSize-8)
	copy(h[8:], "WAVE")
	copy(h[12:], "fmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)           // fmt chunk size
	binary.LittleEndian.PutUint16(h[20:], 1)            // PCM
	binary.LittleEndian.PutUint16(h[22:], 1)            // channels
	binary.LittleEndian.PutUint32(h[24:], SampleRate)   // sample rate
	binary.LittleEndian.PutUint32(h[28:], SampleRate*2) // byte rate
	binary.LittleEndian.PutUint16(h[32:], 2)            // block align
	binary.LittleEndian.PutUint16(h[34:], 16)           // bits per sample
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], dataLen)
	return h
}

// wavSizes returns the RIFF and data chunk sizes for dataLen bytes.
func wavSizes(dataLen int64) []byte {
	var b [8]byte
	binary.LittleEndian.PutUint32(b[0:], uint32(dataLen+wavHeaderSize-8))
	binary.LittleEndian.PutUint32(b[4:], uint32(dataLen))
	return b[:]
}

// patchWAVSizes writes the RIFF and data sizes for dataLen bytes into f.
func patchWAVSizes(f *os.File, dataLen int64) error {
	b := wavSizes(dataLen)
	if _, err := f.WriteAt(b[0:4], wavRIFFSizeOffset); err != nil {
		return err
	}
	_, err := f.WriteAt(b[4:8], wavDataSizeOffset)
	return err
}

// checkWAVHeader accepts only the header this package writes, whatever
// its two sizes say.
func checkWAVHeader(h []byte) error {
	want := wavHeader(0)
	if len(h) < wavHeaderSize {
		return fmt.Errorf("%w: %s: %d-byte header", ErrCorrupt, AudioName, len(h))
	}
	for _, r := range [][2]int{{0, 4}, {8, 40}} {
		if string(h[r[0]:r[1]]) != string(want[r[0]:r[1]]) {
			return fmt.Errorf("%w: %s: not a 48 kHz mono 16-bit PCM WAV with a 44-byte header", ErrCorrupt, AudioName)
		}
	}
	return nil
}

// wavRepair is what repairWAV found and did.
type wavRepair struct {
	headerData int64 // data size the header claimed
	data       int64 // data bytes kept
	cut        int64 // bytes cut from the end
}

// repairWAV sets f's RIFF and data sizes from its real length, after
// cutting a trailing half sample (and anything past the 4 GiB limit).
func repairWAV(f *os.File) (wavRepair, error) {
	var r wavRepair
	st, err := f.Stat()
	if err != nil {
		return r, fmt.Errorf("record: stat %s: %w", AudioName, err)
	}
	h := make([]byte, wavHeaderSize)
	if st.Size() < wavHeaderSize {
		return r, fmt.Errorf("%w: %s: %d bytes, shorter than its header", ErrCorrupt, AudioName, st.Size())
	}
	if _, err := f.ReadAt(h, 0); err != nil {
		return r, fmt.Errorf("record: read %s: %w", AudioName, err)
	}
	if err := checkWAVHeader(h); err != nil {
		return r, err
	}
	r.headerData = int64(binary.LittleEndian.Uint32(h[wavDataSizeOffset:]))
	r.data = min(st.Size()-wavHeaderSize, maxWAVData) &^ 1
	r.cut = st.Size() - wavHeaderSize - r.data
	if r.cut > 0 {
		if err := f.Truncate(wavHeaderSize + r.data); err != nil {
			return r, fmt.Errorf("record: truncate %s: %w", AudioName, err)
		}
	}
	if string(h[4:8]) != string(wavSizes(r.data)[0:4]) || r.headerData != r.data {
		if err := patchWAVSizes(f, r.data); err != nil {
			return r, fmt.Errorf("record: write %s: %w", AudioName, err)
		}
	}
	return r, nil
}

// hasWAVHeader reports whether path starts with this package's WAV header.
func hasWAVHeader(path string) bool {
	return hasHeader(path, wavHeaderSize, checkWAVHeader)
}

// pcm16 appends pcm to dst as 16-bit little-endian samples: round(x·32768)
// clamped to [-32768, 32767], so a sample s/32768 read from a 16-bit
// source comes back as s exactly. NaN becomes 0. It returns the number of
// samples clamped.
func pcm16(dst []byte, pcm []float32) ([]byte, int64) {
	var clipped int64
	for _, x := range pcm {
		v := float64(x) * 32768
		var s int32
		switch {
		case v >= 32767:
			s = 32767
			if x > 1 {
				clipped++
			}
		case v <= -32768:
			s = -32768
			if x < -1 {
				clipped++
			}
		case v == v:
			s = int32(math.Round(v))
		default: // NaN
			clipped++
		}
		dst = binary.LittleEndian.AppendUint16(dst, uint16(int16(s)))
	}
	return dst, clipped
}
