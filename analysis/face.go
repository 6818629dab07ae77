package analysis

import (
	"image"
	"time"
)

// NumLandmarks is the size of the iBUG 300-W markup that dlib's shape
// predictor produces: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47,
// outer lips 48-59, inner lips 60-67.
const NumLandmarks = 68

// Point is a sub-pixel image position.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Pose is the head orientation in degrees, from solvePnP against a 3D mean
// face, as Euler angles of R = Rz(roll)·Ry(yaw)·Rx(pitch) in the camera
// frame (x right, y down, z forward). Zero is a face looking into the
// camera. Positive yaw turns the nose toward the image's left (the
// person's own right); positive pitch lowers the chin; positive roll tilts
// the head clockwise as seen in the image.
type Pose struct {
	Yaw   float64 `json:"yaw"`
	Pitch float64 `json:"pitch"`
	Roll  float64 `json:"roll"`
	// ReprojError is the RMS distance in pixels between the landmarks and
	// the posed mean face; large values mean the fit (or the face) is odd.
	ReprojError float64 `json:"reproj_px"`
}

// TrackState says how the face box of a frame was obtained.
type TrackState string

const (
	StateNone     TrackState = "none"     // no face in this frame
	StateDetected TrackState = "detected" // the full detector found it on this frame
	StateTracked  TrackState = "tracked"  // carried from the previous frame by the tracker
	StateLost     TrackState = "lost"     // the tracker gave up on this frame and no detection replaced it
)

// Face is the face found in one frame.
type Face struct {
	Box       image.Rectangle `json:"-"`
	Landmarks []Point         `json:"-"` // NumLandmarks points, or nil
	Pose      Pose            `json:"pose"`
	// Quality in [0,1] combines tracker confidence, landmark fit, size,
	// sharpness and exposure; below about 0.3 a frame should not be trusted
	// by the signals.
	Quality float64 `json:"quality"`
	// Confidence is the tracker's (peak-to-sidelobe based) or the
	// detector's confidence for the box, in [0,1].
	Confidence float64 `json:"confidence"`
	// Brightness is the mean intensity (0-255) and Sharpness the variance
	// of the Laplacian inside the face box, raw inputs to Quality.
	Brightness float64 `json:"brightness"`
	Sharpness  float64 `json:"sharpness"`
}

// FrameResult is the per-frame record of the face pipeline.
type FrameResult struct {
	Index int
	Time  time.Duration
	State TrackState
	Face  *Face // nil when State is StateNone or StateLost
	// Width and Height are the frame's size, so boxes can be normalised.
	Width, Height int
	// Measures are the frame's pixel statistics when a measuring stage
	// ran (nil otherwise).
	Measures *Measures
}

// HasFace reports whether a face was tracked or detected on this frame.
func (r FrameResult) HasFace() bool {
	return r.Face != nil && (r.State == StateDetected || r.State == StateTracked)
}
