// Package onnx writes ONNX models: a minimal, hand-written protobuf encoder
// for the messages a plain feed-forward graph needs (ModelProto, GraphProto,
// NodeProto, TensorProto, ValueInfoProto, AttributeProto,
// OperatorSetIdProto, StringStringEntryProto). Field numbers follow
// onnx/onnx.proto (proto2 syntax); only the fields listed there as used
// here are written.
//
// Encoding is deterministic: fields are written in ascending field number
// and tensors as little-endian raw_data, so one Model always marshals to
// the same bytes, which lets the model registry pin generated files by
// SHA-256.
//
// The package is pure Go and has no state; all functions are safe for
// concurrent use. It is build tooling (cmd/unmask-models): the engine reads
// ONNX files through OpenCV's DNN module, never through this package.
package onnx
