package ivf

import (
	"encoding/binary"
	"io"
)

// record is one frame record of an IVF file.
type record struct {
	pts  uint64
	size int64 // bytes of frame data the record declares
	// data is the frame, valid until the next call to next; nil when size
	// is over the reader's limit and the data was skipped unread.
	data []byte
}

// records reads the frame records that follow the file header.
type records struct {
	r    io.Reader
	left int64 // bytes left in the file, to tell a cut frame from a huge one
	max  int64 // larger frames are skipped unread
	buf  []byte
}

// next reads one record. It returns io.EOF at the end of the file and
// io.ErrUnexpectedEOF for a record cut short (a recorder that crashed).
func (rr *records) next() (record, error) {
	var h [frameHeaderSize]byte
	n, err := io.ReadFull(rr.r, h[:])
	rr.left -= int64(n)
	if err != nil {
		return record{}, err
	}
	rec := record{
		size: int64(binary.LittleEndian.Uint32(h[0:4])),
		pts:  binary.LittleEndian.Uint64(h[4:12]),
	}
	if rec.size > rr.left {
		return rec, io.ErrUnexpectedEOF
	}
	rr.left -= rec.size
	if rec.size > rr.max {
		_, err := io.CopyN(io.Discard, rr.r, rec.size)
		return rec, err
	}
	if int64(cap(rr.buf)) < rec.size {
		rr.buf = make([]byte, rec.size)
	}
	rr.buf = rr.buf[:rec.size]
	_, err = io.ReadFull(rr.r, rr.buf)
	rec.data = rr.buf
	return rec, err
}
