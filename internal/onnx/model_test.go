package onnx_test

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/internal/onnx"
)

// field is one decoded protobuf field: a varint, a fixed32, or bytes.
type field struct {
	num    int
	varint uint64
	fixed  uint32
	bytes  []byte
}

// decode splits a protobuf message into its fields (wire types 0, 2, 5).
func decode(t *testing.T, b []byte) []field {
	t.Helper()
	var out []field
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			t.Fatalf("bad key at %d bytes from the end", len(b))
		}
		b = b[n:]
		f := field{num: int(key >> 3)}
		switch key & 7 {
		case 0:
			f.varint, n = binary.Uvarint(b)
			b = b[n:]
		case 2:
			l, n := binary.Uvarint(b)
			f.bytes = b[n : n+int(l)]
			b = b[n+int(l):]
		case 5:
			f.fixed = binary.LittleEndian.Uint32(b)
			b = b[4:]
		default:
			t.Fatalf("unexpected wire type %d", key&7)
		}
		out = append(out, f)
	}
	return out
}

func get(fs []field, num int) []field {
	var out []field
	for _, f := range fs {
		if f.num == num {
			out = append(out, f)
		}
	}
	return out
}

func TestMarshalFieldNumbers(t *testing.T) {
	m := onnx.Model{
		IRVersion: onnx.IRVersion6, Opset: 11, ProducerName: "p", DocString: "d",
		Metadata: []onnx.KeyValue{{Key: "k", Value: "v"}},
		Graph: onnx.Graph{
			Name:   "g",
			Inputs: []onnx.ValueInfo{{Name: "x", ElemType: onnx.Float, Shape: []int64{1, 2}}},
			Initializers: []onnx.Tensor{
				onnx.FloatTensor("w", []float32{1.5, -2}, 2),
				onnx.Int64Tensor("p", []int64{-1}, 1),
			},
			Nodes: []onnx.Node{{Name: "n", OpType: "Mul", Inputs: []string{"x", "w"}, Outputs: []string{"y"},
				Attrs: []onnx.Attr{onnx.Int("axis", -1), onnx.Ints("pads", 0, 1), onnx.FloatAttr("alpha", 0.5)}}},
			Outputs: []onnx.ValueInfo{{Name: "y", ElemType: onnx.Float, Shape: []int64{1, 2}}},
		},
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	model := decode(t, b)
	if got := get(model, 1)[0].varint; got != 6 {
		t.Errorf("ir_version = %d", got)
	}
	if got := string(get(model, 2)[0].bytes); got != "p" {
		t.Errorf("producer_name = %q", got)
	}
	if got := string(get(model, 6)[0].bytes); got != "d" {
		t.Errorf("doc_string = %q", got)
	}
	opset := decode(t, get(model, 8)[0].bytes)
	if len(get(opset, 1)) != 0 || get(opset, 2)[0].varint != 11 {
		t.Errorf("opset_import = %+v, want default domain version 11", opset)
	}
	meta := decode(t, get(model, 14)[0].bytes)
	if string(get(meta, 1)[0].bytes) != "k" || string(get(meta, 2)[0].bytes) != "v" {
		t.Errorf("metadata_props = %+v", meta)
	}

	g := decode(t, get(model, 7)[0].bytes)
	if string(get(g, 2)[0].bytes) != "g" {
		t.Errorf("graph name")
	}
	node := decode(t, get(g, 1)[0].bytes)
	if string(get(node, 1)[0].bytes) != "x" || string(get(node, 1)[1].bytes) != "w" ||
		string(get(node, 2)[0].bytes) != "y" || string(get(node, 3)[0].bytes) != "n" || string(get(node, 4)[0].bytes) != "Mul" {
		t.Errorf("node fields = %+v", node)
	}
	attrs := get(node, 5)
	axis := decode(t, attrs[0].bytes)
	if string(get(axis, 1)[0].bytes) != "axis" || int64(get(axis, 3)[0].varint) != -1 || get(axis, 20)[0].varint != 2 {
		t.Errorf("INT attribute = %+v", axis)
	}
	pads := decode(t, attrs[1].bytes)
	if p := get(pads, 8); len(p) != 2 || p[0].varint != 0 || p[1].varint != 1 || get(pads, 20)[0].varint != 7 {
		t.Errorf("INTS attribute (unpacked) = %+v", pads)
	}
	alpha := decode(t, attrs[2].bytes)
	if math.Float32frombits(get(alpha, 2)[0].fixed) != 0.5 || get(alpha, 20)[0].varint != 1 {
		t.Errorf("FLOAT attribute = %+v", alpha)
	}

	w := decode(t, get(g, 5)[0].bytes)
	if get(w, 1)[0].varint != 2 || get(w, 2)[0].varint != 1 || string(get(w, 8)[0].bytes) != "w" {
		t.Errorf("float tensor header = %+v", w)
	}
	raw := get(w, 9)[0].bytes
	if len(raw) != 8 || math.Float32frombits(binary.LittleEndian.Uint32(raw)) != 1.5 || math.Float32frombits(binary.LittleEndian.Uint32(raw[4:])) != -2 {
		t.Errorf("float raw_data = %v", raw)
	}
	p := decode(t, get(g, 5)[1].bytes)
	if get(p, 2)[0].varint != 7 || int64(binary.LittleEndian.Uint64(get(p, 9)[0].bytes)) != -1 {
		t.Errorf("int64 tensor = %+v", p)
	}

	in := decode(t, get(g, 11)[0].bytes)
	typ := decode(t, get(in, 2)[0].bytes)
	tt := decode(t, get(typ, 1)[0].bytes)
	shape := decode(t, get(tt, 2)[0].bytes)
	dims := get(shape, 1)
	if string(get(in, 1)[0].bytes) != "x" || get(tt, 1)[0].varint != 1 || len(dims) != 2 ||
		get(decode(t, dims[1].bytes), 1)[0].varint != 2 {
		t.Errorf("graph input = %+v", in)
	}
	if out := decode(t, get(g, 12)[0].bytes); string(get(out, 1)[0].bytes) != "y" {
		t.Errorf("graph output")
	}

	again, _ := m.Marshal()
	if string(again) != string(b) {
		t.Errorf("Marshal is not deterministic")
	}
}

func TestMarshalChecksGraph(t *testing.T) {
	vi := []onnx.ValueInfo{{Name: "x", ElemType: onnx.Float, Shape: []int64{1}}}
	tests := []struct {
		name string
		g    onnx.Graph
		want string
	}{
		{"undefined input", onnx.Graph{Inputs: vi, Nodes: []onnx.Node{{OpType: "Relu", Inputs: []string{"z"}, Outputs: []string{"y"}}}}, "not defined"},
		{"output twice", onnx.Graph{Inputs: vi, Nodes: []onnx.Node{{OpType: "Relu", Inputs: []string{"x"}, Outputs: []string{"x"}}}}, "defined twice"},
		{"output not produced", onnx.Graph{Inputs: vi, Outputs: []onnx.ValueInfo{{Name: "q"}}}, "not produced"},
		{"tensor size", onnx.Graph{Initializers: []onnx.Tensor{onnx.FloatTensor("w", []float32{1}, 2)}}, "1 floats for shape [2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := onnx.Model{IRVersion: onnx.IRVersion6, Opset: 11, Graph: tt.g}
			if _, err := m.Marshal(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
