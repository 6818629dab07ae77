package face

/*
#include "native.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"

	"github.com/unmaskhq/unmask/analysis"
)

// PoseEstimator recovers head yaw, pitch and roll from 2D landmarks by
// cv::solvePnP against a 3D mean face, with a pinhole camera whose focal
// length equals the image width (a ~53° horizontal field of view, typical
// of webcams) and no lens distortion. Angles are accurate to a few degrees
// for a generic face; the signals use their changes more than their values.
//
// A PoseEstimator holds no mutable state and is safe for concurrent use.
type PoseEstimator struct {
	idx []int     // landmark indices
	obj []float64 // xyz per index, mm
}

type meanFace struct {
	Points []struct {
		Landmark int     `json:"landmark"`
		X        float64 `json:"x"`
		Y        float64 `json:"y"`
		Z        float64 `json:"z"`
	} `json:"points"`
}

// NewPoseEstimator parses the mean face (models.MeanFace3D).
func NewPoseEstimator(meanFaceJSON []byte) (*PoseEstimator, error) {
	var mf meanFace
	if err := json.Unmarshal(meanFaceJSON, &mf); err != nil {
		return nil, fmt.Errorf("%w: mean face: %v", ErrModel, err)
	}
	if len(mf.Points) < 6 {
		return nil, fmt.Errorf("%w: mean face has %d points, need 6", ErrModel, len(mf.Points))
	}
	p := &PoseEstimator{}
	for _, pt := range mf.Points {
		if pt.Landmark < 0 || pt.Landmark >= analysis.NumLandmarks {
			return nil, fmt.Errorf("%w: mean face landmark %d out of range", ErrModel, pt.Landmark)
		}
		p.idx = append(p.idx, pt.Landmark)
		p.obj = append(p.obj, pt.X, pt.Y, pt.Z)
	}
	return p, nil
}

// Estimate returns the pose of landmarks (68 points) seen in a w x h image.
func (p *PoseEstimator) Estimate(landmarks []analysis.Point, w, h int) (analysis.Pose, error) {
	if len(landmarks) != analysis.NumLandmarks {
		return analysis.Pose{}, fmt.Errorf("face: pose: %d landmarks, want %d", len(landmarks), analysis.NumLandmarks)
	}
	if w <= 0 || h <= 0 {
		return analysis.Pose{}, fmt.Errorf("face: pose: image size %dx%d", w, h)
	}
	img := make([]float64, 0, 2*len(p.idx))
	for _, i := range p.idx {
		img = append(img, landmarks[i].X, landmarks[i].Y)
	}
	f := float64(w)
	var out [4]C.double
	var cerr *C.char
	if C.um_solve_pnp((*C.double)(&p.obj[0]), (*C.double)(&img[0]), C.int(len(p.idx)),
		C.double(f), C.double(f), C.double(float64(w)/2), C.double(float64(h)/2), &out[0], &cerr) != 0 {
		return analysis.Pose{}, fmt.Errorf("face: pose: %w", takeErr(cerr, "solvePnP failed"))
	}
	return analysis.Pose{Yaw: float64(out[0]), Pitch: float64(out[1]), Roll: float64(out[2]), ReprojError: float64(out[3])}, nil
}

// modelPoints exposes the mean face to tests, which project it with a
// known pose and check Estimate recovers it.
func (p *PoseEstimator) modelPoints() (idx []int, xyz []float64) { return p.idx, p.obj }
