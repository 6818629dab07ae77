package wiring_test

import (
	"testing"

	"github.com/unmaskhq/unmask/analysis/fuse"
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

func TestWithSensitivityMovesOnlyTheThresholds(t *testing.T) {
	p, err := wiring.Fusion(models.Default())
	if err != nil {
		t.Fatal(err)
	}
	lo, err1 := wiring.WithSensitivity(p, "low")
	hi, err2 := wiring.WithSensitivity(p, "high")
	same, err3 := wiring.WithSensitivity(p, "normal")
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	if !(hi.Medium < p.Medium && p.Medium < lo.Medium && hi.High < p.High && p.High < lo.High) {
		t.Errorf("medium %v/%v/%v high %v/%v/%v: not ordered high < normal < low", hi.Medium, p.Medium, lo.Medium, hi.High, p.High, lo.High)
	}
	for _, q := range []struct {
		name string
		p    any
	}{{"low", lo}, {"high", hi}} {
		pp := q.p.(fuse.Params)
		if pp.Medium >= pp.High || pp.High >= 1 {
			t.Errorf("%s: medium %v high %v", q.name, pp.Medium, pp.High)
		}
		if len(pp.Weights) != len(p.Weights) {
			t.Errorf("%s changed the weights", q.name)
		}
	}
	if same.Medium != p.Medium || same.High != p.High {
		t.Error("normal moved the thresholds")
	}
	if _, err := wiring.WithSensitivity(p, "paranoid"); err == nil {
		t.Error("an unknown sensitivity: no error")
	}
}
