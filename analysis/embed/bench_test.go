package embed_test

import (
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// BenchmarkEmbed embeds one real face (cap13, 400x300, face box ~100 px):
// alignment, blob, network and copy-out. Run pinned to one core:
// taskset -c 0 go test -run '^$' -bench . -cpu 1 ./analysis/embed
func BenchmarkEmbed(b *testing.B) {
	e := embedder(b)
	img := gocv.NewMat()
	defer img.Close()
	var lm []analysis.Point
	eachFace(b, clips.Cap13, 1, func(f faceFrame, frame gocv.Mat) bool {
		lm = f.landmarks
		frame.CopyTo(&img)
		return false
	})
	if lm == nil {
		b.Fatal("no face in cap13")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Embed(img, lm); err != nil {
			b.Fatal(err)
		}
	}
}
