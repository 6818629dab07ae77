package main

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/models"
)

// TestWindowMetrics prints every window's signal metrics for the file in
// DBG_INPUT (optionally DBG_AUDIO, DBG_SIG): a tool for tuning, skipped
// otherwise.
func TestWindowMetrics(t *testing.T) {
	path := os.Getenv("DBG_INPUT")
	if path == "" {
		t.Skip()
	}
	fm, _ := face.LoadModels(models.Default())
	defer fm.Close()
	src, err := video.OpenFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p, _ := loadFusion(models.Default())
	n := 0
	res, err := runEngine(context.Background(), src, fm, engineOpts{onFrame: func(r analysis.FrameResult) error {
		if n++; n < 40 && os.Getenv("DBG_DIFF") != "" && r.Measures != nil {
			fmt.Printf("%d diff %.3f noise %.3f\n", r.Index, r.Measures.Diff, r.Measures.Noise)
		}
		return nil
	}, audio: os.Getenv("DBG_AUDIO"), detector: "hog", params: p})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.windows {
		fmt.Printf("%5.1f risk %.2f", w.End.Seconds(), w.Risk)
		for _, s := range w.Scores {
			if !s.Valid && os.Getenv("DBG_SIG") == s.Signal {
				fmt.Printf(" | %s invalid: %v", s.Signal, s.Reasons)
			}
			if s.Valid && (os.Getenv("DBG_SIG") == "" || os.Getenv("DBG_SIG") == s.Signal) {
				fmt.Printf(" | %s %.2f", s.Signal, s.Value)
				for k, v := range s.Metrics {
					fmt.Printf(" %s=%.3g", k, v)
				}
			}
		}
		fmt.Println()
	}
}
