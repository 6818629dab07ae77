package onnx

import (
	"encoding/binary"
	"math"
)

// Protobuf wire types (protobuf encoding guide, "Message Structure").
const (
	wireVarint = 0
	wireI64    = 1
	wireLen    = 2
	wireI32    = 5
)

// buf appends protobuf fields. Nested messages are encoded into their own
// buf and appended as length-delimited fields.
type buf []byte

func (b *buf) tag(field, wire int) { b.uvarint(uint64(field)<<3 | uint64(wire)) }

func (b *buf) uvarint(v uint64) { *b = binary.AppendUvarint(*b, v) }

// int64Field writes a varint field. Negative int64 values are encoded as
// ten-byte two's complement varints, as protobuf's int64 requires.
func (b *buf) int64Field(field int, v int64) {
	b.tag(field, wireVarint)
	b.uvarint(uint64(v))
}

func (b *buf) float32Field(field int, v float32) {
	b.tag(field, wireI32)
	*b = binary.LittleEndian.AppendUint32(*b, math.Float32bits(v))
}

func (b *buf) bytesField(field int, v []byte) {
	b.tag(field, wireLen)
	b.uvarint(uint64(len(v)))
	*b = append(*b, v...)
}

func (b *buf) stringField(field int, v string) {
	b.tag(field, wireLen)
	b.uvarint(uint64(len(v)))
	*b = append(*b, v...)
}

// optString writes a string field only when it is not empty.
func (b *buf) optString(field int, v string) {
	if v != "" {
		b.stringField(field, v)
	}
}

// repeatedInt64 writes a repeated int64 field one element at a time: the
// fields used here (TensorProto.dims, AttributeProto.ints) are proto2
// fields without [packed = true], so this is how protoc's own serializer
// writes them.
func (b *buf) repeatedInt64(field int, vs []int64) {
	for _, v := range vs {
		b.int64Field(field, v)
	}
}

// repeatedFloat32 writes an unpacked repeated float field
// (AttributeProto.floats).
func (b *buf) repeatedFloat32(field int, vs []float32) {
	for _, v := range vs {
		b.float32Field(field, v)
	}
}

// message writes a nested message as a length-delimited field.
func (b *buf) message(field int, m []byte) { b.bytesField(field, m) }
