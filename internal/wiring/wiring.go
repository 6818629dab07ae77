// Package wiring is the one place that decides which signals run and with
// which fusion parameters. The headless CLI (cmd/unmask) and the desktop
// app (app) both build their analyses from it, so a file, a live call and
// a local camera are judged alike.
package wiring

import (
	"fmt"

	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/models"
)

// SignalNames are the signals in report order; Signals builds them in the
// same order.
var SignalNames = []string{"temporal", "occlusion", "lighting", "lipsync", "boundary", "virtual_camera", "blink"}

// Signals returns a fresh set of every signal, in SignalNames order.
// Lip-sync and the virtual-camera signal are given because a live source
// feeds them (voice, device facts).
func Signals(lip *signal.LipSync, vc *signal.VirtualCamera) []signal.Signal {
	return []signal.Signal{
		signal.NewTemporal(signal.TemporalConfig{}),
		signal.NewOcclusion(signal.OcclusionConfig{}),
		signal.NewLighting(signal.LightingConfig{}),
		lip,
		signal.NewBoundary(signal.BoundaryConfig{}),
		vc,
		signal.NewBlink(signal.BlinkConfig{}),
	}
}

// Fusion reads the fusion parameters from the model registry.
func Fusion(reg *models.Registry) (fuse.Params, error) {
	b, err := reg.Bytes(models.Fusion)
	if err != nil {
		return fuse.Params{}, err
	}
	return fuse.ParseParams(b)
}

// Sensitivities are the settings a user picks between; "normal" keeps the
// fitted thresholds.
var Sensitivities = []string{"low", "normal", "high"}

// WithSensitivity returns p with its level thresholds moved for the
// user's sensitivity. The risk itself never changes, only the risk at
// which a moment counts as medium or high: "high" lowers both thresholds
// by a fifth (more moments flagged for an interviewer who wants to see
// them), "low" moves them a quarter of the way to 1 (fewer, for a
// reviewer of many calls). Medium stays below high either way.
func WithSensitivity(p fuse.Params, s string) (fuse.Params, error) {
	switch s {
	case "", "normal":
	case "high":
		p.Medium, p.High = 0.8*p.Medium, 0.8*p.High
	case "low":
		p.Medium, p.High = p.Medium+0.25*(1-p.Medium), p.High+0.25*(1-p.High)
	default:
		return p, fmt.Errorf("sensitivity %q: want low, normal or high", s)
	}
	return p, nil
}
