package fuse

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Params are the fusion rule's parameters, stored in models/ as
// fusion.json and fitted by `unmask fit` on the tuning split of the
// labelled corpus (docs/DETECTION.md).
type Params struct {
	Schema int `json:"schema"`
	// Weights maps a signal to the chance that its full score (1) on a
	// window means manipulation: the precision of that signal's strong
	// scores on the tuning split. A missing signal counts with weight 0.
	Weights map[string]float64 `json:"weights"`
	// Medium and High are the risk thresholds of the levels.
	Medium float64 `json:"medium"`
	High   float64 `json:"high"`
	// FittedOn says where the numbers come from.
	FittedOn string `json:"fitted_on"`
}

// ErrParams reports a fusion parameter file that cannot be used.
var ErrParams = errors.New("fuse: bad parameters")

// ParseParams reads and checks fusion.json.
func ParseParams(b []byte) (Params, error) {
	var p Params
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%w: %v", ErrParams, err)
	}
	return p, p.Check()
}

// Check reports parameters outside their ranges.
func (p Params) Check() error {
	if p.Schema != 1 {
		return fmt.Errorf("%w: schema %d, want 1", ErrParams, p.Schema)
	}
	if !(p.Medium > 0 && p.Medium < p.High && p.High <= 1) {
		return fmt.Errorf("%w: thresholds medium %v, high %v must satisfy 0 < medium < high <= 1", ErrParams, p.Medium, p.High)
	}
	if len(p.Weights) == 0 {
		return fmt.Errorf("%w: no signal weights", ErrParams)
	}
	for k, w := range p.Weights {
		if math.IsNaN(w) || w < 0 || w > 1 {
			return fmt.Errorf("%w: weight of %s is %v, want 0..1", ErrParams, k, w)
		}
	}
	return nil
}
