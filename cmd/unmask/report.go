package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/report"
)

// Report is the JSON object `unmask analyze --json` prints: the report
// document (schema, risk, level, signals, windows, evidence; the contract
// other tools depend on, docs/CLI.md) plus how the analysis ran.
type Report struct {
	report.Document
	FramesProcessed int        `json:"frames_processed"`
	FramesWithFace  int        `json:"frames_with_face"`
	FaceFraction    float64    `json:"face_fraction"`
	ProcessingFPS   float64    `json:"processing_fps"`
	WallSeconds     float64    `json:"wall_seconds"`
	RealtimeFactor  float64    `json:"realtime_factor"`
	Face            faceReport `json:"face"`
	Dropped         int        `json:"frames_dropped"`
	Truncated       bool       `json:"truncated"`
	Output          *outputRef `json:"output,omitempty"`
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
	Dir    string `json:"dir"`
	Track  string `json:"track"`
	Report string `json:"report"`
}

func newReport(info video.Info, sum string, eng *engineResult, o analyzeOpts, p fuse.Params) *Report {
	res, ss, fs := eng.res, eng.stats, eng.face
	r := &Report{
		Document: report.Document{
			Schema:     report.Schema,
			Tool:       "unmask " + version.Version,
			Generated:  time.Now().UTC(),
			Input:      report.Input{Path: info.Path, SHA256: sum, Duration: round(info.Duration.Seconds(), 3), Width: info.Width, Height: info.Height, FPS: info.FPS, HasAudio: info.HasAudio, Audio: o.audio},
			Risk:       round(eng.summary.Risk, 3),
			Level:      string(eng.summary.Level),
			Thresholds: report.Thresholds{Medium: p.Medium, High: p.High},
			Signals:    signalSummaries(eng),
			Windows:    windowsOf(eng.windows),
			Evidence:   []report.Evidence{},
			Warnings:   append([]string{}, eng.warnings...),
		},
		FramesProcessed: res.Analysed,
		FramesWithFace:  res.WithFace,
		WallSeconds:     round(res.Wall.Seconds(), 3),
		Face: faceReport{Detector: o.detector, Detections: fs.Detections, TrackerLosses: fs.TrackerLoss,
			BadFrames: res.BadFrames, LandmarkErrors: fs.LandmarkErrors},
		Dropped:   res.Dropped,
		Truncated: ss.Truncated,
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
		r.Face.MeanQuality = round(eng.qsum/float64(res.WithFace), 3)
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
		r.Warnings = append(r.Warnings, fmt.Sprintf("a face was tracked in only %.0f%% of frames; the verdict covers only those", 100*r.FaceFraction))
	}
	if !info.HasAudio && o.audio == "" {
		r.Warnings = append(r.Warnings, "input has no audio track (give one with --audio to check lip-sync)")
	}
	return r
}

// signalSummaries gives each signal its persistent peak, the reasons of
// the window where it peaked, and for lip-sync the median offset and
// confidence of the windows where it found a clear peak.
func signalSummaries(eng *engineResult) map[string]report.Summary {
	out := map[string]report.Summary{}
	for _, name := range signalNames {
		pk := eng.summary.Signals[name]
		sum := report.Summary{Score: round(pk.Score, 3), Valid: pk.Valid, Reasons: []string{}}
		at := pk.Window
		if at < 0 && len(eng.windows) > 0 {
			at = len(eng.windows) - 1 // never valid: say why, from the last window
		}
		if at >= 0 {
			w := eng.windows[at]
			sum.PeakS = round(w.End.Seconds(), 3)
			for _, s := range w.Scores {
				if s.Signal == name {
					sum.Reasons = append(sum.Reasons, s.Reasons...)
				}
			}
		} else {
			sum.Reasons = append(sum.Reasons, "the input was too short to score")
		}
		if name == "lipsync" {
			sum.Offset = true
			var offs, confs []float64
			for _, w := range eng.windows {
				for _, s := range w.Scores {
					if s.Signal == name && s.Valid && s.Metrics["confident"] == 1 {
						offs = append(offs, s.Metrics["offset_ms"])
						confs = append(confs, s.Metrics["confidence"])
					}
				}
			}
			if len(offs) > 0 {
				sort.Float64s(offs)
				sort.Float64s(confs)
				off, conf := offs[len(offs)/2], round(confs[len(confs)/2], 3)
				sum.OffsetMs, sum.Confidence = &off, &conf
			}
		}
		out[name] = sum
	}
	return out
}

func windowsOf(ws []fuse.Window) []report.Window {
	out := make([]report.Window, 0, len(ws))
	for _, w := range ws {
		rw := report.Window{StartS: round(w.Start.Seconds(), 3), EndS: round(w.End.Seconds(), 3), Risk: round(w.Risk, 3),
			Level: string(w.Level), Scores: map[string]float64{}, Reasons: []report.Reason{}}
		for _, s := range w.Scores {
			if s.Valid {
				rw.Scores[s.Signal] = round(s.Value, 3)
			}
		}
		for _, r := range w.Reasons {
			rw.Reasons = append(rw.Reasons, report.Reason{Signal: r.Signal, Text: r.Text, Weight: round(r.Weight, 3)})
		}
		out = append(out, rw)
	}
	return out
}

func printSummary(w io.Writer, r *Report) {
	fmt.Fprintf(w, "input      %s (%dx%d, %.2f fps, %.1f s, sha256 %s)\n", r.Input.Path, r.Input.Width, r.Input.Height, r.Input.FPS, r.Input.Duration, r.Input.SHA256[:16])
	fmt.Fprintf(w, "frames     %d processed at %.0f fps (%.1fx real time)\n", r.FramesProcessed, r.ProcessingFPS, r.RealtimeFactor)
	fmt.Fprintf(w, "face       tracked in %.2f%% of frames, mean quality %.2f\n", 100*r.FaceFraction, r.Face.MeanQuality)
	fmt.Fprintf(w, "verdict    %s (risk %.2f)\n", r.Level, r.Risk)
	for _, name := range signalNames {
		s := r.Signals[name]
		why := ""
		if len(s.Reasons) > 0 {
			why = s.Reasons[0]
		}
		if !s.Valid {
			fmt.Fprintf(w, "  %-15s  n/a  %s\n", name, why)
			continue
		}
		fmt.Fprintf(w, "  %-15s %.2f  %s\n", name, s.Score, why)
	}
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
	p.Yaw, p.Pitch, p.Roll, p.ReprojError = finite(round(p.Yaw, 2)), finite(round(p.Pitch, 2)), finite(round(p.Roll, 2)), finite(round(p.ReprojError, 3))
	l.Pose = &p
	q, c, b, s := finite(round(f.Quality, 3)), finite(round(f.Confidence, 3)), finite(round(f.Brightness, 1)), finite(round(f.Sharpness, 1))
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
