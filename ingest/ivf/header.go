package ivf

import (
	"encoding/binary"
	"fmt"
	"image"
	"io"
)

// IVF layout: https://wiki.multimedia.cx/index.php/IVF. A 32-byte file
// header, then per frame a 4-byte size, an 8-byte pts and the data.
const (
	fileHeaderSize  = 32
	frameHeaderSize = 12
)

// Info describes an IVF file as Open found it.
type Info struct {
	Path string `json:"path"`
	// Width and Height come from the header. pion's ivfwriter writes
	// 640x480 unless given WithWidthAndHeight, and a recorder of H.264 as
	// received writes 0x0; Picture is the real size.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Picture is the size the first frame declares (a VP8 keyframe header,
	// an H.264 SPS); zero when it declares none.
	Picture image.Point `json:"picture"`
	// Frames is the header's frame count, 0 when unknown. Writers update it
	// on close, so a recording cut by a crash may state 0 or the preset count a writer starts with
	// (pion writes 900).
	Frames int `json:"frames"`
	// TimebaseNum/TimebaseDen seconds is one timestamp unit: the header's,
	// or the one given WithTimebase.
	TimebaseNum uint32 `json:"timebase_num"`
	TimebaseDen uint32 `json:"timebase_den"`
	// FPS is estimated from the first frames' timestamps (0 when unknown).
	FPS float64 `json:"fps"`
}

// header is the 32-byte file header.
type header struct {
	fourcc        string
	width, height int
	num, den      uint32 // timebase
	frames        int
}

// readHeader reads and checks the file header's signature and version;
// an error wraps ErrNotIVF.
func readHeader(r io.Reader) (header, error) {
	var h [fileHeaderSize]byte
	if n, _ := io.ReadFull(r, h[:]); n < fileHeaderSize {
		return header{}, fmt.Errorf("%w: %d bytes, shorter than the header", ErrNotIVF, n)
	}
	le := binary.LittleEndian
	switch {
	case string(h[0:4]) != "DKIF":
		return header{}, fmt.Errorf("%w: signature %q", ErrNotIVF, h[0:4])
	case le.Uint16(h[4:6]) != 0:
		return header{}, fmt.Errorf("%w: version %d", ErrNotIVF, le.Uint16(h[4:6]))
	}
	return header{
		fourcc: string(h[8:12]),
		width:  int(le.Uint16(h[12:14])),
		height: int(le.Uint16(h[14:16])),
		den:    le.Uint32(h[16:20]),
		num:    le.Uint32(h[20:24]),
		frames: int(le.Uint32(h[24:28])),
	}, nil
}
