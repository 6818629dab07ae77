package tfjs_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/unmaskhq/unmask/internal/tfjs"
)

func TestDecode(t *testing.T) {
	manifest := []byte(`[{"paths":["a.bin","b.bin"],"weights":[
		{"name":"f","shape":[2],"dtype":"float32"},
		{"name":"q8","shape":[3],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}},
		{"name":"q16","shape":[1,1],"dtype":"float32","quantization":{"dtype":"uint16","scale":0.25,"min":2}}]}]`)
	m, err := tfjs.ParseManifest(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var a []byte
	a = binary.LittleEndian.AppendUint32(a, math.Float32bits(1.5))
	a = binary.LittleEndian.AppendUint32(a, math.Float32bits(-3))
	b := []byte{0, 2, 255}
	b = binary.LittleEndian.AppendUint16(b, 4)
	shards := map[string][]byte{"a.bin": a, "b.bin": b}
	got, err := m.Decode(func(p string) ([]byte, error) { return shards[p], nil })
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float32{"f": {1.5, -3}, "q8": {-1, 0, 126.5}, "q16": {3}}
	for name, w := range want {
		g := got[name].Data
		if len(g) != len(w) {
			t.Fatalf("%s: got %v, want %v", name, g, w)
		}
		for i := range w {
			if g[i] != w[i] {
				t.Errorf("%s[%d] = %v, want %v", name, i, g[i], w[i])
			}
		}
	}

	shards["b.bin"] = append(shards["b.bin"], 0)
	if _, err := m.Decode(func(p string) ([]byte, error) { return shards[p], nil }); !errors.Is(err, tfjs.ErrFormat) {
		t.Errorf("trailing byte: err = %v, want ErrFormat", err)
	}
	shards["b.bin"] = shards["b.bin"][:3]
	if _, err := m.Decode(func(p string) ([]byte, error) { return shards[p], nil }); !errors.Is(err, tfjs.ErrFormat) {
		t.Errorf("short shard: err = %v, want ErrFormat", err)
	}
}
