// Package tfjs reads TensorFlow.js layers/graph weight files: the
// weights manifest (model-weights_manifest.json) and its binary shards,
// with the manifest's post-training quantization undone. Only float32
// weights are supported, stored as float32 or quantized to uint8 or uint16
// (value = min + q·scale, as tfjs-core's io.decodeWeights computes it).
//
// Pure Go, no state; safe for concurrent use. Build tooling only
// (cmd/unmask-models).
package tfjs
