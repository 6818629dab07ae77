package report_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/report"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// BenchmarkExtract saves the evidence of one window of cap13 (frame 100,
// 4 s in), without a clip: the decode up to the frame dominates.
func BenchmarkExtract(b *testing.B) {
	path := clips.Path(b, clips.Cap13)
	req := requestAt(b, 1, 100, report.LevelHigh)
	root := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		dir, err := evidence.Open(filepath.Join(root, fmt.Sprint(i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := report.Extract(context.Background(), path, []report.Request{req}, dir, report.ExtractOptions{NoClip: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteHTML renders a 60-minute timeline (3600 windows, seven
// signals) with two evidence cards.
func BenchmarkWriteHTML(b *testing.B) {
	dir := b.TempDir()
	evs := []report.Evidence{evidenceAt(300, 301, report.LevelHigh), evidenceAt(1910, 1911.5, report.LevelMedium)}
	writeFrames(b, dir, evs)
	d := sampleDoc(3600, evs)
	var n countWriter
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n = 0
		if err := report.WriteHTML(&n, d, dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "page-bytes")
}

// BenchmarkWriteJSON writes the same 60-minute document as report.json.
func BenchmarkWriteJSON(b *testing.B) {
	d := sampleDoc(3600, nil)
	var n countWriter
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n = 0
		if err := report.WriteJSON(&n, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "json-bytes")
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
