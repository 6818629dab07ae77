package wiring_test

import (
	"testing"

	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/models"
)

func TestSignalsInReportOrder(t *testing.T) {
	set := wiring.Signals(signal.NewLipSync(nil, signal.LipSyncConfig{}), signal.NewVirtualCamera(signal.VirtualCameraConfig{}))
	if len(set) != len(wiring.SignalNames) {
		t.Fatalf("%d signals, %d names", len(set), len(wiring.SignalNames))
	}
	for i, s := range set {
		if s.Name() != wiring.SignalNames[i] {
			t.Errorf("signal %d is %q, want %q", i, s.Name(), wiring.SignalNames[i])
		}
	}
}

func TestFusionLoadsTheRegistryParameters(t *testing.T) {
	p, err := wiring.Fusion(models.Default())
	if err != nil {
		t.Fatal(err)
	}
	if p.Medium <= 0 || p.High <= p.Medium || p.High > 1 {
		t.Errorf("thresholds medium %v high %v", p.Medium, p.High)
	}
}
