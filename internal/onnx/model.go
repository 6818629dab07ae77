package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
)

// DataType is TensorProto.DataType.
type DataType int32

// Tensor element types used here (TensorProto.DataType).
const (
	Float DataType = 1
	Int64 DataType = 7
)

// AttrType is AttributeProto.AttributeType.
type AttrType int32

// Attribute types used here (AttributeProto.AttributeType).
const (
	AttrFloat  AttrType = 1
	AttrInt    AttrType = 2
	AttrString AttrType = 3
	AttrFloats AttrType = 6
	AttrInts   AttrType = 7
)

// IRVersion6 is the IR version that goes with opset 11 (docs/Versioning.md).
const IRVersion6 = 6

// Model is a ModelProto with one graph and one opset of the default
// ("ai.onnx") domain.
type Model struct {
	IRVersion       int64
	Opset           int64
	ProducerName    string
	ProducerVersion string
	DocString       string
	Graph           Graph
	// Metadata becomes metadata_props, in this order.
	Metadata []KeyValue
}

// KeyValue is a StringStringEntryProto.
type KeyValue struct{ Key, Value string }

// Graph is a GraphProto. Nodes must be sorted topologically.
type Graph struct {
	Name         string
	Nodes        []Node
	Initializers []Tensor
	Inputs       []ValueInfo
	Outputs      []ValueInfo
	DocString    string
}

// Node is a NodeProto of the default domain.
type Node struct {
	Name    string
	OpType  string
	Inputs  []string
	Outputs []string
	Attrs   []Attr
}

// Attr is an AttributeProto holding one of the value kinds in AttrType.
type Attr struct {
	Name   string
	Type   AttrType
	F      float32
	I      int64
	S      string
	Floats []float32
	Ints   []int64
}

// Int returns an INT attribute.
func Int(name string, v int64) Attr { return Attr{Name: name, Type: AttrInt, I: v} }

// Ints returns an INTS attribute.
func Ints(name string, v ...int64) Attr { return Attr{Name: name, Type: AttrInts, Ints: v} }

// FloatAttr returns a FLOAT attribute.
func FloatAttr(name string, v float32) Attr { return Attr{Name: name, Type: AttrFloat, F: v} }

// Tensor is a TensorProto: a named constant with its shape. Exactly one of
// Floats and Int64s holds the row-major data; it is written as raw_data.
type Tensor struct {
	Name   string
	Dims   []int64
	Floats []float32
	Int64s []int64
}

// FloatTensor returns a FLOAT tensor of shape dims holding v (not copied).
func FloatTensor(name string, v []float32, dims ...int64) Tensor {
	return Tensor{Name: name, Dims: dims, Floats: v}
}

// Int64Tensor returns an INT64 tensor of shape dims holding v (not copied).
func Int64Tensor(name string, v []int64, dims ...int64) Tensor {
	return Tensor{Name: name, Dims: dims, Int64s: v}
}

// ValueInfo is a ValueInfoProto for a tensor of ElemType with a fixed
// Shape.
type ValueInfo struct {
	Name     string
	ElemType DataType
	Shape    []int64
}

// Field numbers from onnx/onnx.proto.
const (
	modelIRVersion       = 1
	modelProducerName    = 2
	modelProducerVersion = 3
	modelDocString       = 6
	modelGraph           = 7
	modelOpsetImport     = 8
	modelMetadataProps   = 14

	opsetVersion = 2 // OperatorSetIdProto.version; domain (1) stays empty

	entryKey   = 1 // StringStringEntryProto
	entryValue = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphDocString   = 10
	graphInput       = 11
	graphOutput      = 12

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName   = 1
	attrF      = 2
	attrI      = 3
	attrS      = 4
	attrFloats = 7
	attrInts   = 8
	attrType   = 20

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	valueName = 1
	valueType = 2

	typeTensorType = 1 // TypeProto.tensor_type
	tensorElemType = 1 // TypeProto.Tensor.elem_type
	tensorShape    = 2 // TypeProto.Tensor.shape
	shapeDim       = 1 // TensorShapeProto.dim
	dimensionValue = 1 // TensorShapeProto.Dimension.dim_value
)

// Marshal encodes m as a binary ModelProto. It checks what a reader would
// otherwise reject later: tensor sizes against their shapes, and that every
// node input is a graph input, an initializer or an earlier node's output.
func (m *Model) Marshal() ([]byte, error) {
	if err := m.Graph.check(); err != nil {
		return nil, err
	}
	var b buf
	b.int64Field(modelIRVersion, m.IRVersion)
	b.optString(modelProducerName, m.ProducerName)
	b.optString(modelProducerVersion, m.ProducerVersion)
	b.optString(modelDocString, m.DocString)
	g, err := m.Graph.marshal()
	if err != nil {
		return nil, err
	}
	b.message(modelGraph, g)
	var op buf
	op.int64Field(opsetVersion, m.Opset)
	b.message(modelOpsetImport, op)
	for _, kv := range m.Metadata {
		var e buf
		e.stringField(entryKey, kv.Key)
		e.stringField(entryValue, kv.Value)
		b.message(modelMetadataProps, e)
	}
	return b, nil
}

func (g *Graph) check() error {
	known := map[string]bool{}
	for _, v := range g.Inputs {
		known[v.Name] = true
	}
	for _, t := range g.Initializers {
		if known[t.Name] {
			return fmt.Errorf("onnx: %q defined twice", t.Name)
		}
		known[t.Name] = true
	}
	for _, n := range g.Nodes {
		for _, in := range n.Inputs {
			if in != "" && !known[in] {
				return fmt.Errorf("onnx: node %q (%s): input %q is not defined before it", n.Name, n.OpType, in)
			}
		}
		for _, out := range n.Outputs {
			if known[out] {
				return fmt.Errorf("onnx: node %q (%s): output %q defined twice", n.Name, n.OpType, out)
			}
			known[out] = true
		}
	}
	for _, v := range g.Outputs {
		if !known[v.Name] {
			return fmt.Errorf("onnx: graph output %q is not produced", v.Name)
		}
	}
	return nil
}

func (g *Graph) marshal() ([]byte, error) {
	var b buf
	for _, n := range g.Nodes {
		b.message(graphNode, n.marshal())
	}
	b.optString(graphName, g.Name)
	for _, t := range g.Initializers {
		tb, err := t.marshal()
		if err != nil {
			return nil, err
		}
		b.message(graphInitializer, tb)
	}
	b.optString(graphDocString, g.DocString)
	for _, v := range g.Inputs {
		b.message(graphInput, v.marshal())
	}
	for _, v := range g.Outputs {
		b.message(graphOutput, v.marshal())
	}
	return b, nil
}

func (n *Node) marshal() []byte {
	var b buf
	for _, in := range n.Inputs {
		b.stringField(nodeInput, in)
	}
	for _, out := range n.Outputs {
		b.stringField(nodeOutput, out)
	}
	b.optString(nodeName, n.Name)
	b.stringField(nodeOpType, n.OpType)
	for _, a := range n.Attrs {
		b.message(nodeAttribute, a.marshal())
	}
	return b
}

func (a *Attr) marshal() []byte {
	var b buf
	b.stringField(attrName, a.Name)
	switch a.Type {
	case AttrFloat:
		b.float32Field(attrF, a.F)
	case AttrInt:
		b.int64Field(attrI, a.I)
	case AttrString:
		b.stringField(attrS, a.S)
	case AttrFloats:
		b.repeatedFloat32(attrFloats, a.Floats)
	case AttrInts:
		b.repeatedInt64(attrInts, a.Ints)
	}
	b.int64Field(attrType, int64(a.Type))
	return b
}

func (t *Tensor) marshal() ([]byte, error) {
	n := int64(1)
	for _, d := range t.Dims {
		if d < 0 {
			return nil, fmt.Errorf("onnx: tensor %q: negative dimension in %v", t.Name, t.Dims)
		}
		n *= d
	}
	var (
		dt  DataType
		raw []byte
	)
	switch {
	case t.Floats != nil && t.Int64s == nil:
		if int64(len(t.Floats)) != n {
			return nil, fmt.Errorf("onnx: tensor %q: %d floats for shape %v", t.Name, len(t.Floats), t.Dims)
		}
		dt = Float
		raw = make([]byte, 0, 4*len(t.Floats))
		for _, v := range t.Floats {
			raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
		}
	case t.Int64s != nil && t.Floats == nil:
		if int64(len(t.Int64s)) != n {
			return nil, fmt.Errorf("onnx: tensor %q: %d int64s for shape %v", t.Name, len(t.Int64s), t.Dims)
		}
		dt = Int64
		raw = make([]byte, 0, 8*len(t.Int64s))
		for _, v := range t.Int64s {
			raw = binary.LittleEndian.AppendUint64(raw, uint64(v))
		}
	default:
		return nil, fmt.Errorf("onnx: tensor %q: exactly one of Floats and Int64s must be set", t.Name)
	}
	var b buf
	b.repeatedInt64(tensorDims, t.Dims)
	b.int64Field(tensorDataType, int64(dt))
	b.stringField(tensorName, t.Name)
	b.bytesField(tensorRawData, raw)
	return b, nil
}

func (v *ValueInfo) marshal() []byte {
	var shape buf
	for _, d := range v.Shape {
		var dim buf
		dim.int64Field(dimensionValue, d)
		shape.message(shapeDim, dim)
	}
	var tt buf
	tt.int64Field(tensorElemType, int64(v.ElemType))
	tt.message(tensorShape, shape)
	var typ buf
	typ.message(typeTensorType, tt)
	var b buf
	b.stringField(valueName, v.Name)
	b.message(valueType, typ)
	return b
}
