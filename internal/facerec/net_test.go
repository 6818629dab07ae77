package facerec_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/internal/facerec"
	"github.com/unmaskhq/unmask/internal/tfjs"
)

func weights(t *testing.T) map[string]tfjs.Weight {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", "build", "cache", facerec.Tarball)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%v; run `make models`", err)
	}
	w, err := facerec.ReadTarball(p)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestBuildGraph checks the shape of the converted network: the layer
// list of face-api's FaceRecognitionNet, with the padding that only the
// last two down blocks need.
func TestBuildGraph(t *testing.T) {
	w := weights(t)
	if len(w) != 1+4*29 {
		t.Errorf("%d weights in the package, want 117 (29 conv layers × 4, fc)", len(w))
	}
	m, err := facerec.Build(w)
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]int{}
	var pads []string
	for _, n := range m.Graph.Nodes {
		ops[n.OpType]++
		if n.OpType == "Pad" {
			pads = append(pads, n.Name)
		}
	}
	want := map[string]int{
		"Conv": 29 + 3, // 29 conv layers, 3 shortcut widenings (32→64, 64→128, 128→256)
		"Relu": 1 + 14*2, "MaxPool": 1, "AveragePool": 4, "Add": 14, "Pad": 2,
		"GlobalAveragePool": 1, "Flatten": 1, "Gemm": 1,
	}
	for op, n := range want {
		if ops[op] != n {
			t.Errorf("%d %s nodes, want %d", ops[op], op, n)
		}
	}
	if strings.Join(pads, ",") != "conv256_down_pad,conv256_down_out_pad" {
		t.Errorf("padded blocks %v, want conv256_down and conv256_down_out (8→3 vs 4, 4→1 vs 2)", pads)
	}
	if _, err := m.Marshal(); err != nil {
		t.Fatal(err)
	}
}

func TestBuildRejectsOtherWeights(t *testing.T) {
	w := weights(t)
	extra := map[string]tfjs.Weight{"unused": {Shape: []int{1}, Data: []float32{0}}}
	for k, v := range w {
		extra[k] = v
	}
	if _, err := facerec.Build(extra); err == nil || !strings.Contains(err.Error(), "unused") {
		t.Errorf("extra weight: err = %v", err)
	}
	delete(w, "conv128_1/conv2/scale/weights")
	if _, err := facerec.Build(w); err == nil || !strings.Contains(err.Error(), "conv128_1/conv2/scale/weights") {
		t.Errorf("missing weight: err = %v", err)
	}
}
