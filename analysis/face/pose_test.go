package face

import (
	"math"
	"testing"

	"github.com/unmaskhq/unmask/analysis"
)

// project renders the mean face with R = Rz(roll)·Ry(yaw)·Rx(pitch) at
// distance z mm in front of the same camera Estimate assumes.
func project(p *PoseEstimator, yaw, pitch, roll, z float64, w, h int) []analysis.Point {
	rad := math.Pi / 180
	cy, sy := math.Cos(yaw*rad), math.Sin(yaw*rad)
	cp, sp := math.Cos(pitch*rad), math.Sin(pitch*rad)
	cr, sr := math.Cos(roll*rad), math.Sin(roll*rad)
	rx := [3][3]float64{{1, 0, 0}, {0, cp, -sp}, {0, sp, cp}}
	ry := [3][3]float64{{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}}
	rz := [3][3]float64{{cr, -sr, 0}, {sr, cr, 0}, {0, 0, 1}}
	r := mul(rz, mul(ry, rx))
	f := float64(w)
	pts := make([]analysis.Point, analysis.NumLandmarks)
	idx, obj := p.modelPoints()
	for k, i := range idx {
		x, y, zz := obj[3*k], obj[3*k+1], obj[3*k+2]
		X := r[0][0]*x + r[0][1]*y + r[0][2]*zz
		Y := r[1][0]*x + r[1][1]*y + r[1][2]*zz
		Z := r[2][0]*x + r[2][1]*y + r[2][2]*zz + z
		pts[i] = analysis.Point{X: f*X/Z + float64(w)/2, Y: f*Y/Z + float64(h)/2}
	}
	return pts
}

func mul(a, b [3][3]float64) (c [3][3]float64) {
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

func TestPoseRoundTrip(t *testing.T) {
	p := testModels(t).Pose
	tests := []struct{ yaw, pitch, roll float64 }{
		{0, 0, 0}, {30, 0, 0}, {-30, 0, 0}, {0, 20, 0}, {0, -20, 0}, {0, 0, 15}, {25, -10, 8}, {-40, 15, -12},
	}
	for _, tt := range tests {
		pts := project(p, tt.yaw, tt.pitch, tt.roll, 600, 640, 480)
		got, err := p.Estimate(pts, 640, 480)
		if err != nil {
			t.Fatalf("%+v: %v", tt, err)
		}
		if math.Abs(got.Yaw-tt.yaw) > 0.5 || math.Abs(got.Pitch-tt.pitch) > 0.5 || math.Abs(got.Roll-tt.roll) > 0.5 {
			t.Errorf("pose %+v: got yaw %.2f pitch %.2f roll %.2f", tt, got.Yaw, got.Pitch, got.Roll)
		}
		if got.ReprojError > 0.01 {
			t.Errorf("pose %+v: reprojection error %.4f px on exact points", tt, got.ReprojError)
		}
	}
	// The documented sign: positive yaw moves the nose tip to the image's
	// left of the eyes' midpoint.
	pts := project(p, 30, 0, 0, 600, 640, 480)
	if mid := (pts[36].X + pts[45].X) / 2; pts[30].X >= mid {
		t.Errorf("positive yaw: nose x %.1f not left of eye midpoint %.1f", pts[30].X, mid)
	}
}

func TestPoseRejectsBadInput(t *testing.T) {
	p := testModels(t).Pose
	if _, err := p.Estimate(make([]analysis.Point, 5), 640, 480); err == nil {
		t.Error("5 landmarks: want error")
	}
	if _, err := p.Estimate(make([]analysis.Point, 68), 0, 480); err == nil {
		t.Error("zero width: want error")
	}
	// All points on one spot: solvePnP must fail cleanly, not abort.
	if _, err := p.Estimate(make([]analysis.Point, 68), 640, 480); err == nil {
		t.Log("degenerate points gave a pose; accepted as long as it did not crash")
	}
	if _, err := NewPoseEstimator([]byte(`{"points":[{"landmark":99}]}`)); err == nil {
		t.Error("bad mean face: want error")
	}
	if _, err := NewPoseEstimator([]byte(`not json`)); err == nil {
		t.Error("not json: want error")
	}
}
