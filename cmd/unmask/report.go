package main

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/internal/version"
)

// Report is the JSON object `unmask analyze --json` prints (schema 1).
type Report struct {
	Schema          int         `json:"schema"`
	Tool            string      `json:"tool"`
	Input           inputReport `json:"input"`
	FramesProcessed int         `json:"frames_processed"`
	FramesWithFace  int         `json:"frames_with_face"`
	FaceFraction    float64     `json:"face_fraction"`
	ProcessingFPS   float64     `json:"processing_fps"`
	WallSeconds     float64     `json:"wall_seconds"`
	RealtimeFactor  float64     `json:"realtime_factor"`
	Face            faceReport  `json:"face"`
	Truncated       bool        `json:"truncated"`
	Warnings        []string    `json:"warnings"`
	Output          *outputRef  `json:"output,omitempty"`
}

type inputReport struct {
	video.Info
	DurationSeconds float64 `json:"duration_seconds"`
	SHA256          string  `json:"sha256"`
}

type faceReport struct {
	Detector       string  `json:"detector"`
	Detections     int     `json:"detections"`
	TrackerLosses  int     `json:"tracker_losses"`
	BadFrames      int     `json:"bad_frames"`
	MeanQuality    float64 `json:"mean_quality"`
	LandmarkErrors int     `json:"landmark_errors"`
	// StageMs is the mean cost per analysed frame of each stage, in ms.
	StageMs map[string]float64 `json:"stage_ms"`
}

type outputRef struct {
	Dir   string `json:"dir"`
	Track string `json:"track"`
}

func newReport(info video.Info, sum string, res pipeline.Result, ss video.Stats, fs face.Stats, qsum float64, detector string) *Report {
	r := &Report{
		Schema:          Schema,
		Tool:            "unmask " + version.Version,
		Input:           inputReport{Info: info, DurationSeconds: info.Duration.Seconds(), SHA256: sum},
		FramesProcessed: res.Analysed,
		FramesWithFace:  res.WithFace,
		WallSeconds:     round(res.Wall.Seconds(), 3),
		Face: faceReport{Detector: detector, Detections: fs.Detections, TrackerLosses: fs.TrackerLoss,
			BadFrames: res.BadFrames, LandmarkErrors: fs.LandmarkErrors},
		Truncated: ss.Truncated,
		Warnings:  []string{},
	}
	if n := float64(fs.Frames); n > 0 {
		per := func(d time.Duration) float64 { return round(float64(d)/float64(time.Millisecond)/n, 3) }
		r.Face.StageMs = map[string]float64{
			"convert": per(fs.ConvertTime), "detect": per(fs.DetectTime), "track": per(fs.TrackTime),
			"landmarks": per(fs.LandmarkTime), "pose": per(fs.PoseTime), "quality": per(fs.QualityTime),
		}
	}
	if res.Analysed > 0 {
		r.FaceFraction = round(float64(res.WithFace)/float64(res.Analysed), 4)
	}
	if res.WithFace > 0 {
		r.Face.MeanQuality = round(qsum/float64(res.WithFace), 3)
	}
	if s := res.Wall.Seconds(); s > 0 {
		r.ProcessingFPS = round(float64(res.Analysed)/s, 1)
		if info.Duration > 0 {
			r.RealtimeFactor = round(info.Duration.Seconds()/s, 2)
		}
	}
	if ss.Truncated {
		r.Warnings = append(r.Warnings, fmt.Sprintf("input looks truncated: decoded %d of about %d frames", ss.FramesRead, ss.Expected))
	}
	if res.BadFrames > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d frames could not be analysed", res.BadFrames))
	}
	if res.WithFace == 0 {
		r.Warnings = append(r.Warnings, "no face found in any frame")
	} else if r.FaceFraction < 0.5 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("a face was tracked in only %.0f%% of frames", 100*r.FaceFraction))
	}
	if !info.HasAudio {
		r.Warnings = append(r.Warnings, "input has no audio track")
	}
	return r
}

func printSummary(w io.Writer, r *Report) {
	fmt.Fprintf(w, "input      %s (%dx%d, %.2f fps, %.1f s, sha256 %s)\n", r.Input.Path, r.Input.Width, r.Input.Height, r.Input.FPS, r.Input.DurationSeconds, r.Input.SHA256[:16])
	fmt.Fprintf(w, "frames     %d processed at %.0f fps (%.1fx real time)\n", r.FramesProcessed, r.ProcessingFPS, r.RealtimeFactor)
	fmt.Fprintf(w, "face       tracked in %.2f%% of frames, mean quality %.2f\n", 100*r.FaceFraction, r.Face.MeanQuality)
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "warning    %s\n", wn)
	}
	if r.Output != nil {
		fmt.Fprintf(w, "written    %s\n", r.Output.Dir)
	}
}

// trackLine is one line of track.jsonl. Coordinates are pixels in the
// frame, rounded to 0.1 px; angles in degrees.
type trackLine struct {
	Index      int            `json:"i"`
	TimeMs     float64        `json:"t_ms"`
	State      string         `json:"state"`
	Box        *[4]int        `json:"box,omitempty"` // x, y, w, h
	Landmarks  [][2]float64   `json:"landmarks,omitempty"`
	Pose       *analysis.Pose `json:"pose,omitempty"`
	Quality    *float64       `json:"quality,omitempty"`
	Confidence *float64       `json:"confidence,omitempty"`
	Brightness *float64       `json:"brightness,omitempty"`
	Sharpness  *float64       `json:"sharpness,omitempty"`
}

func newTrackLine(r analysis.FrameResult) trackLine {
	l := trackLine{Index: r.Index, TimeMs: round(float64(r.Time)/float64(time.Millisecond), 3), State: string(r.State)}
	if !r.HasFace() {
		return l
	}
	f := r.Face
	l.Box = &[4]int{f.Box.Min.X, f.Box.Min.Y, f.Box.Dx(), f.Box.Dy()}
	l.Landmarks = make([][2]float64, len(f.Landmarks))
	for i, p := range f.Landmarks {
		l.Landmarks[i] = [2]float64{round(p.X, 1), round(p.Y, 1)}
	}
	p := f.Pose
	p.Yaw, p.Pitch, p.Roll, p.ReprojError = round(p.Yaw, 2), round(p.Pitch, 2), round(p.Roll, 2), finite(round(p.ReprojError, 3))
	l.Pose = &p
	q, c, b, s := round(f.Quality, 3), round(f.Confidence, 3), round(f.Brightness, 1), round(f.Sharpness, 1)
	l.Quality, l.Confidence, l.Brightness, l.Sharpness = &q, &c, &b, &s
	return l
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// finite keeps JSON encodable: a failed pose fit has an infinite error.
func finite(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return -1
	}
	return x
}
