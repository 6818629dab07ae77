package face

import (
	"fmt"

	"github.com/unmaskhq/unmask/models"
)

// Models are the loaded parts of the face pipeline that analyzers share:
// the landmark model (100 MB, ~0.7 s to load) and the mean face. Cascade
// paths are kept so each Analyzer can own its detectors. Close is
// idempotent and must not race with analyzers still using the models.
type Models struct {
	Landmarks   *Landmarker
	Pose        *PoseEstimator
	HaarFrontal string // verified cascade paths
	HaarProfile string
}

// LoadModels finds, verifies and loads every model the face pipeline
// needs. Its errors name the package to install (see models.Registry).
func LoadModels(reg *models.Registry) (*Models, error) {
	lmPath, err := reg.Path(models.Landmarks68)
	if err != nil {
		return nil, err
	}
	frontal, err := reg.Path(models.HaarFrontal)
	if err != nil {
		return nil, err
	}
	mf, err := reg.Bytes(models.MeanFace3D)
	if err != nil {
		return nil, err
	}
	pose, err := NewPoseEstimator(mf)
	if err != nil {
		return nil, err
	}
	lm, err := NewLandmarker(lmPath)
	if err != nil {
		return nil, fmt.Errorf("%w (reinstall libdlib-data)", err)
	}
	return &Models{Landmarks: lm, Pose: pose, HaarFrontal: frontal}, nil
}

// Close frees the landmark model. Close is idempotent.
func (m *Models) Close() error {
	if m == nil || m.Landmarks == nil {
		return nil
	}
	return m.Landmarks.Close()
}
