package facerec

import (
	"fmt"

	"github.com/unmaskhq/unmask/internal/tfjs"
)

// Reference runs FaceRecognitionNet on one chip in plain Go, literally
// as face-api's forwardInput does (NHWC, unfolded weights: convolution,
// bias, scale, ReLU; valid max and average pooling; zero padding of the
// down blocks' channels and sides; mean; matMul), with dlib's input
// normalisation. rgb holds InputSize×InputSize×3 bytes, row-major RGB.
//
// It shares nothing with Build but the weights, so agreement between the
// two is evidence that Build's folding, layout and padding are right.
// It is slow (about a second) and meant for tests.
func Reference(w map[string]tfjs.Weight, rgb []byte) ([]float32, error) {
	if len(rgb) != InputSize*InputSize*3 {
		return nil, fmt.Errorf("facerec: reference: %d bytes, want %d", len(rgb), InputSize*InputSize*3)
	}
	x := newMap(InputSize, InputSize, 3)
	for i, v := range rgb {
		x.v[i] = float32((float64(v) - MeanRGB[i%3]) * InputScale)
	}
	var err error
	get := func(name string) []float32 {
		t, ok := w[name]
		if !ok && err == nil {
			err = fmt.Errorf("facerec: reference: missing %s", name)
		}
		return t.Data
	}
	layer := func(x fmap, prefix string, k, stride int, relu bool) fmap {
		f := get(prefix + "/conv/filters")
		bias := get(prefix + "/conv/bias")
		sw, sb := get(prefix+"/scale/weights"), get(prefix+"/scale/biases")
		if err != nil {
			return x
		}
		y := conv2d(x, f, len(bias), k, stride)
		for i := range y.v {
			c := i % y.c
			v := (y.v[i] + bias[c]) * sw[c]
			v += sb[c]
			if relu && v < 0 {
				v = 0
			}
			y.v[i] = v
		}
		return y
	}
	out := layer(x, "conv32_down", 7, 2, true)
	out = pool(out, 3, 2, true)
	for _, b := range Blocks {
		in := out
		stride := 1
		if b.Down {
			stride = 2
		}
		y := layer(in, b.Name+"/conv1", 3, stride, true)
		y = layer(y, b.Name+"/conv2", 3, 1, false)
		short := in
		if b.Down {
			short = pool(in, 2, 2, false)
			short = padTo(short, short.h, short.w, b.Channels)
			y = padTo(y, short.h, short.w, b.Channels)
		}
		if err != nil {
			return nil, err
		}
		for i := range y.v {
			v := y.v[i] + short.v[i]
			if v < 0 {
				v = 0
			}
			y.v[i] = v
		}
		out = y
	}
	fc := get("fc")
	if err != nil {
		return nil, err
	}
	mean := make([]float32, out.c)
	for i, v := range out.v {
		mean[i%out.c] += v
	}
	for c := range mean {
		mean[c] /= float32(out.h * out.w)
	}
	d := make([]float32, DescriptorSize)
	for o := range d {
		var s float32
		for i, m := range mean {
			s += m * fc[i*DescriptorSize+o]
		}
		d[o] = s
	}
	return d, nil
}

// fmap is an NHWC feature map of one image.
type fmap struct {
	h, w, c int
	v       []float32
}

func newMap(h, w, c int) fmap { return fmap{h, w, c, make([]float32, h*w*c)} }

func (m fmap) at(y, x, c int) float32 { return m.v[(y*m.w+x)*m.c+c] }

// conv2d is tf.conv2d with HWIO filters: "same" padding for stride 1,
// "valid" for stride 2, as face-api's convLayer uses them.
func conv2d(x fmap, f []float32, out, k, stride int) fmap {
	pad, oh, ow := 0, (x.h-k)/stride+1, (x.w-k)/stride+1
	if stride == 1 {
		pad, oh, ow = k/2, x.h, x.w
	}
	y := newMap(oh, ow, out)
	acc := make([]float32, out)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			clear(acc)
			for ky := 0; ky < k; ky++ {
				iy := oy*stride + ky - pad
				if iy < 0 || iy >= x.h {
					continue
				}
				for kx := 0; kx < k; kx++ {
					ix := ox*stride + kx - pad
					if ix < 0 || ix >= x.w {
						continue
					}
					for ic := 0; ic < x.c; ic++ {
						xv := x.at(iy, ix, ic)
						row := f[((ky*k+kx)*x.c+ic)*out:][:out]
						for o, fv := range row {
							acc[o] += xv * fv
						}
					}
				}
			}
			copy(y.v[(oy*ow+ox)*out:], acc)
		}
	}
	return y
}

// pool is tf.maxPool (max) or tf.avgPool with "valid" padding.
func pool(x fmap, k, stride int, max bool) fmap {
	oh, ow := (x.h-k)/stride+1, (x.w-k)/stride+1
	y := newMap(oh, ow, x.c)
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			for c := 0; c < x.c; c++ {
				var s float32
				if max {
					s = x.at(oy*stride, ox*stride, c)
				}
				for ky := 0; ky < k; ky++ {
					for kx := 0; kx < k; kx++ {
						v := x.at(oy*stride+ky, ox*stride+kx, c)
						if max {
							if v > s {
								s = v
							}
						} else {
							s += v
						}
					}
				}
				if !max {
					s /= float32(k * k)
				}
				y.v[(oy*ow+ox)*x.c+c] = s
			}
		}
	}
	return y
}

// padTo zero-pads x at the bottom, right and in its last channels.
func padTo(x fmap, h, w, c int) fmap {
	if x.h == h && x.w == w && x.c == c {
		return x
	}
	y := newMap(h, w, c)
	for yy := 0; yy < x.h; yy++ {
		for xx := 0; xx < x.w; xx++ {
			copy(y.v[(yy*w+xx)*c:][:x.c], x.v[(yy*x.w+xx)*x.c:][:x.c])
		}
	}
	return y
}
