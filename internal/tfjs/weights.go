package tfjs

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// ErrFormat is returned for a manifest or shard that cannot be decoded.
var ErrFormat = errors.New("tfjs: bad weights")

// Manifest is a weights manifest: groups of weights, each group stored in
// the concatenation of its shard files (Paths, in order).
type Manifest []Group

// Group is one entry of the manifest.
type Group struct {
	Paths   []string `json:"paths"`
	Weights []Spec   `json:"weights"`
}

// Spec describes one weight inside a group's shards.
type Spec struct {
	Name         string        `json:"name"`
	Shape        []int         `json:"shape"`
	DType        string        `json:"dtype"`
	Quantization *Quantization `json:"quantization,omitempty"`
}

// Quantization is tfjs' affine weight quantization: value = min + q·scale.
type Quantization struct {
	DType string  `json:"dtype"`
	Scale float64 `json:"scale"`
	Min   float64 `json:"min"`
}

// Weight is one decoded tensor in row-major order of Shape.
type Weight struct {
	Shape []int
	Data  []float32
}

// ParseManifest decodes a weights manifest.
func ParseManifest(b []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: manifest: %v", ErrFormat, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%w: manifest has no weight groups", ErrFormat)
	}
	return m, nil
}

// Decode reads every weight of m. shard returns the bytes of one shard
// file named in a group's Paths. Every byte of every group must be used:
// a manifest and shards that disagree are an error, not a silent
// misreading.
func (m Manifest) Decode(shard func(path string) ([]byte, error)) (map[string]Weight, error) {
	out := map[string]Weight{}
	for gi, g := range m {
		var data []byte
		for _, p := range g.Paths {
			b, err := shard(p)
			if err != nil {
				return nil, fmt.Errorf("tfjs: shard %s: %w", p, err)
			}
			data = append(data, b...)
		}
		off := 0
		for _, s := range g.Weights {
			w, n, err := decodeOne(s, data[off:])
			if err != nil {
				return nil, err
			}
			if _, dup := out[s.Name]; dup {
				return nil, fmt.Errorf("%w: %s appears twice", ErrFormat, s.Name)
			}
			out[s.Name] = w
			off += n
		}
		if off != len(data) {
			return nil, fmt.Errorf("%w: group %d: %d bytes of shards, manifest describes %d", ErrFormat, gi, len(data), off)
		}
	}
	return out, nil
}

// decodeOne decodes s from the start of data and returns the bytes used.
func decodeOne(s Spec, data []byte) (Weight, int, error) {
	if s.DType != "float32" {
		return Weight{}, 0, fmt.Errorf("%w: %s: dtype %q (only float32 is supported)", ErrFormat, s.Name, s.DType)
	}
	n := 1
	for _, d := range s.Shape {
		if d <= 0 {
			return Weight{}, 0, fmt.Errorf("%w: %s: shape %v", ErrFormat, s.Name, s.Shape)
		}
		n *= d
	}
	size := 4
	if q := s.Quantization; q != nil {
		switch q.DType {
		case "uint8":
			size = 1
		case "uint16":
			size = 2
		default:
			return Weight{}, 0, fmt.Errorf("%w: %s: quantization dtype %q (uint8 and uint16 are supported)", ErrFormat, s.Name, q.DType)
		}
	}
	if len(data) < n*size {
		return Weight{}, 0, fmt.Errorf("%w: %s: needs %d bytes, %d left in the shards", ErrFormat, s.Name, n*size, len(data))
	}
	v := make([]float32, n)
	q := s.Quantization
	for i := range v {
		switch size {
		case 4:
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
		case 2:
			v[i] = dequantize(float64(binary.LittleEndian.Uint16(data[2*i:])), q)
		case 1:
			v[i] = dequantize(float64(data[i]), q)
		}
	}
	return Weight{Shape: append([]int(nil), s.Shape...), Data: v}, n * size, nil
}

// dequantize computes q·scale + min in float64 and rounds once to float32,
// as tfjs does (JavaScript numbers into a Float32Array). The explicit
// conversion keeps the compiler from fusing the multiply-add, so the
// result is the same on every architecture.
func dequantize(q float64, p *Quantization) float32 {
	return float32(float64(q*p.Scale) + p.Min)
}
