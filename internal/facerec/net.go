package facerec

import (
	"fmt"
	"strings"

	"github.com/unmaskhq/unmask/internal/onnx"
	"github.com/unmaskhq/unmask/internal/tfjs"
)

// Input and output of the generated model.
const (
	// InputName is the graph input: one RGB image, NCHW float32
	// [1,3,InputSize,InputSize], pixel values 0-255 (not normalised: the
	// normalisation is folded into the first convolution).
	InputName = "rgb"
	// OutputName is the graph output: the 128-d descriptor [1,128], not
	// L2-normalised.
	OutputName = "descriptor"
	// InputSize is the side of the aligned face chip, in pixels.
	InputSize = 150
	// DescriptorSize is the length of a descriptor.
	DescriptorSize = 128
	// Opset is the ONNX operator set the graph uses.
	Opset = 11
)

// MeanRGB and InputScale are the network's input normalisation,
// (pixel − mean)·scale per channel: dlib's input_rgb_image divides by
// 256 (face-api divides by 255; dlib trained the weights, so its value is
// used).
var MeanRGB = [3]float64{122.782, 117.001, 104.298}

// InputScale multiplies the mean-subtracted pixels.
const InputScale = 1.0 / 256

// Block is one residual block of the network, in forward order.
type Block struct {
	Name     string // weight prefix, e.g. "conv64_down"
	Channels int
	Down     bool // residualDown: stride-2 first convolution, pooled shortcut
}

// Blocks lists the residual blocks after conv32_down and the max pool, as
// FaceRecognitionNet.forwardInput runs them.
var Blocks = []Block{
	{"conv32_1", 32, false}, {"conv32_2", 32, false}, {"conv32_3", 32, false},
	{"conv64_down", 64, true}, {"conv64_1", 64, false}, {"conv64_2", 64, false}, {"conv64_3", 64, false},
	{"conv128_down", 128, true}, {"conv128_1", 128, false}, {"conv128_2", 128, false},
	{"conv256_down", 256, true}, {"conv256_1", 256, false}, {"conv256_2", 256, false},
	{"conv256_down_out", 256, true},
}

// Build returns the ONNX graph of FaceRecognitionNet with the weights w
// (as ReadTarball decodes them). Every weight in w must be used exactly
// once.
//
// Mapping (face-api names → ONNX):
//   - A conv layer P (P/conv/filters HWIO [kh,kw,in,out], P/conv/bias,
//     P/scale/weights, P/scale/biases) computes
//     ((x ∗ filters) + bias)·scale.weights + scale.biases. It becomes one
//     Conv with W[o,i,y,x] = filters[y,x,i,o]·sw[o] (OIHW) and
//     B[o] = bias[o]·sw[o] + sb[o], followed by Relu where face-api applies
//     one. Padding: tf "same" for stride 1 (pads 1), "valid" for stride 2.
//   - conv32_down (7x7, stride 2, valid) also absorbs the input
//     normalisation: W' = W·InputScale, B' = B − Σ W'·MeanRGB, exact
//     because a valid convolution never sees padding.
//   - residual: Relu(conv2(Relu(conv1(x))) + x).
//   - residualDown: the shortcut is AveragePool 2x2/2 of x, its channels
//     zero-padded to the block's width (a 1x1 Conv with an identity
//     matrix); when the stride-2 branch comes out one pixel smaller than
//     the pooled shortcut (8→3 against 4, 4→1 against 2), the branch is
//     zero-padded at the bottom and right (Pad), as face-api's residualDown
//     and dlib's add_prev do.
//   - head: GlobalAveragePool, Flatten, Gemm with fc [256,128] stored
//     transposed as B [128,256] (transB=1) and a zero bias.
func Build(w map[string]tfjs.Weight) (*onnx.Model, error) {
	b := &builder{w: w, used: map[string]bool{}}
	b.g.Name = "face_recognition"
	b.g.Inputs = []onnx.ValueInfo{{Name: InputName, ElemType: onnx.Float, Shape: []int64{1, 3, InputSize, InputSize}}}

	x, side := InputName, InputSize
	x, side = b.convWith("conv32_down", x, side, 7, 2, 3, 32, true, true)
	x = b.node("MaxPool", "pool", []string{x}, onnx.Ints("kernel_shape", 3, 3), onnx.Ints("strides", 2, 2), onnx.Ints("pads", 0, 0, 0, 0))
	side = (side-3)/2 + 1
	ch := 32
	for _, blk := range Blocks {
		x, side = b.block(blk, x, side, ch)
		ch = blk.Channels
	}
	x = b.node("GlobalAveragePool", "avg", []string{x})
	x = b.node("Flatten", "flatten", []string{x}, onnx.Int("axis", 1))

	fc, err := b.take("fc", 256, DescriptorSize)
	if err != nil {
		return nil, err
	}
	bt := make([]float32, len(fc.Data)) // [128,256] = fcᵀ
	for i := 0; i < 256; i++ {
		for o := 0; o < DescriptorSize; o++ {
			bt[o*256+i] = fc.Data[i*DescriptorSize+o]
		}
	}
	b.init(onnx.FloatTensor("fc_w", bt, DescriptorSize, 256))
	b.init(onnx.FloatTensor("fc_b", make([]float32, DescriptorSize), DescriptorSize))
	b.g.Nodes = append(b.g.Nodes, onnx.Node{Name: "fc", OpType: "Gemm", Inputs: []string{x, "fc_w", "fc_b"}, Outputs: []string{OutputName},
		Attrs: []onnx.Attr{onnx.Int("transB", 1)}})
	b.g.Outputs = []onnx.ValueInfo{{Name: OutputName, ElemType: onnx.Float, Shape: []int64{1, DescriptorSize}}}
	if b.err != nil {
		return nil, b.err
	}
	for name := range w {
		if !b.used[name] {
			return nil, fmt.Errorf("facerec: weight %s is not used by the network", name)
		}
	}
	return &onnx.Model{
		IRVersion:       onnx.IRVersion6,
		Opset:           Opset,
		ProducerName:    "unmask-models",
		ProducerVersion: "1",
		DocString: "dlib ResNet face recognition (128-d descriptors), converted from " + NPMPackage + "@" + NPMVersion +
			" model/face_recognition_model. Input: RGB, NCHW [1,3,150,150], values 0-255, a dlib face chip (150 px, padding 0.25). " +
			"Output: [1,128] descriptor; same person when the Euclidean distance is below 0.6.",
		Graph: b.g,
		Metadata: []onnx.KeyValue{
			{Key: "source", Value: "npm " + NPMPackage + "@" + NPMVersion + " (" + Tarball + " sha256 " + TarballSHA256 + ")"},
			{Key: "licence", Value: Licence},
		},
	}, nil
}

type builder struct {
	g    onnx.Graph
	w    map[string]tfjs.Weight
	used map[string]bool
	err  error
}

// take returns weight name, checking its shape.
func (b *builder) take(name string, shape ...int) (tfjs.Weight, error) {
	w, ok := b.w[name]
	if !ok {
		return w, fmt.Errorf("facerec: missing weight %s", name)
	}
	if fmt.Sprint(w.Shape) != fmt.Sprint(shape) {
		return w, fmt.Errorf("facerec: weight %s has shape %v, want %v", name, w.Shape, shape)
	}
	b.used[name] = true
	return w, nil
}

func (b *builder) init(t onnx.Tensor) { b.g.Initializers = append(b.g.Initializers, t) }

// node appends a one-output node named name and returns its output.
func (b *builder) node(op, name string, in []string, attrs ...onnx.Attr) string {
	b.g.Nodes = append(b.g.Nodes, onnx.Node{Name: name, OpType: op, Inputs: in, Outputs: []string{name}, Attrs: attrs})
	return name
}

// convWith adds face-api's conv layer prefix (k×k, stride 1 "same" or
// stride 2 "valid", in → out channels) on x of side×side pixels and
// returns its output and side. first folds the input normalisation in.
func (b *builder) convWith(prefix, x string, side, k, stride, in, out int, relu, first bool) (string, int) {
	f, err := b.take(prefix+"/conv/filters", k, k, in, out)
	if err != nil {
		b.err = err
		return x, side
	}
	bias, err1 := b.take(prefix+"/conv/bias", out)
	sw, err2 := b.take(prefix+"/scale/weights", out)
	sb, err3 := b.take(prefix+"/scale/biases", out)
	if err := firstErr(err1, err2, err3); err != nil {
		b.err = err
		return x, side
	}
	wt := make([]float32, out*in*k*k)
	bt := make([]float32, out)
	for o := 0; o < out; o++ {
		s := float64(sw.Data[o])
		var meanTerm float64
		for i := 0; i < in; i++ {
			for y := 0; y < k; y++ {
				for xx := 0; xx < k; xx++ {
					v := float64(float64(f.Data[((y*k+xx)*in+i)*out+o]) * s)
					if first {
						v = float64(v * InputScale)
						meanTerm += float64(v * MeanRGB[i])
					}
					wt[((o*in+i)*k+y)*k+xx] = float32(v)
				}
			}
		}
		bt[o] = float32(float64(float64(bias.Data[o])*s) + float64(sb.Data[o]) - meanTerm)
	}
	name := strings.ReplaceAll(prefix, "/", "_")
	b.init(onnx.FloatTensor(name+"_w", wt, int64(out), int64(in), int64(k), int64(k)))
	b.init(onnx.FloatTensor(name+"_b", bt, int64(out)))
	pad := int64(0)
	if stride == 1 {
		pad = int64(k / 2) // tf "same" with stride 1
	}
	y := b.node("Conv", name, []string{x, name + "_w", name + "_b"},
		onnx.Ints("kernel_shape", int64(k), int64(k)), onnx.Ints("strides", int64(stride), int64(stride)),
		onnx.Ints("pads", pad, pad, pad, pad))
	side = (side+2*int(pad)-k)/stride + 1
	if relu {
		y = b.node("Relu", name+"_relu", []string{y})
	}
	return y, side
}

// block adds one residual block on x (side×side, in channels).
func (b *builder) block(blk Block, x string, side, in int) (string, int) {
	stride := 1
	if blk.Down {
		stride = 2
	}
	y, ys := b.convWith(blk.Name+"/conv1", x, side, 3, stride, in, blk.Channels, true, false)
	y, ys = b.convWith(blk.Name+"/conv2", y, ys, 3, 1, blk.Channels, blk.Channels, false, false)
	short, ss := x, side
	if blk.Down {
		short = b.node("AveragePool", blk.Name+"_pool", []string{x}, onnx.Ints("kernel_shape", 2, 2), onnx.Ints("strides", 2, 2), onnx.Ints("pads", 0, 0, 0, 0))
		ss = (side-2)/2 + 1
		if in != blk.Channels {
			// Zero channels appended after the in existing ones.
			eye := make([]float32, blk.Channels*in)
			for i := 0; i < in; i++ {
				eye[i*in+i] = 1
			}
			b.init(onnx.FloatTensor(blk.Name+"_widen_w", eye, int64(blk.Channels), int64(in), 1, 1))
			short = b.node("Conv", blk.Name+"_widen", []string{short, blk.Name + "_widen_w"},
				onnx.Ints("kernel_shape", 1, 1), onnx.Ints("strides", 1, 1), onnx.Ints("pads", 0, 0, 0, 0))
		}
		switch d := ss - ys; {
		case d == 1:
			b.init(onnx.Int64Tensor(blk.Name+"_pads", []int64{0, 0, 0, 0, 0, 0, 1, 1}, 8))
			y = b.node("Pad", blk.Name+"_pad", []string{y, blk.Name + "_pads"}, onnx.Attr{Name: "mode", Type: onnx.AttrString, S: "constant"})
			ys = ss
		case d != 0:
			b.err = fmt.Errorf("facerec: %s: branch %d px, shortcut %d px", blk.Name, ys, ss)
		}
	}
	s := b.node("Add", blk.Name+"_add", []string{y, short})
	return b.node("Relu", blk.Name+"_out", []string{s}), ys
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
