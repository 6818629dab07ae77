package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"sort"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/evidence"
)

// DefaultClipSeconds is the default half-width of an evidence clip: ±2 s
// shows a reviewer the moment with enough before and after to judge
// motion and speech, and stays a few hundred kilobytes.
const DefaultClipSeconds = 2

// Request asks for the evidence of one window that reached medium or high.
type Request struct {
	Window int     // index into Document.Windows
	TimeS  float64 // the window's time as the analysis saw it
	Frame  int     // frame index in decode order (0-based)
	Level  string
	Risk   float64
	Signal string // the signal that drove the window
	Reason string
	Note   string
	// Face is the face of that frame (box and 68 landmarks); may be nil.
	Face *analysis.Face
	// Regions drove the score, in frame pixels; may be empty.
	Regions []image.Rectangle
	// Metrics are the window's scores and metrics; they must marshal to
	// JSON.
	Metrics any
}

// ExtractOptions tune Extract. The zero value cuts ±DefaultClipSeconds
// clips.
type ExtractOptions struct {
	// ClipSeconds is the clip's half-width; zero or less means
	// DefaultClipSeconds.
	ClipSeconds float64
	// NoClip skips the clips (no ffmpeg run).
	NoClip bool
}

// Extract saves the evidence of each request from the video file at path
// into dir: the plain frame and the annotated frame as PNG, the metrics as
// JSON and, unless opt.NoClip, an H.264 clip around the frame. Names are
// wNNN-fNNNNNN-{plain,annotated}.png, -metrics.json and -clip.mp4, so each
// file says which window and frame it shows.
//
// Frames come from one sequential decode that stops after the last
// requested frame. Evidence.TimeS is the saved frame's own time, which
// also centres the clip. Evidence is returned, in request order, for every
// request whose frame files were written (Clip stays empty when its clip
// failed); the error joins one error per request that fell short (a frame
// past the end wraps ErrPastEnd and names the frame), and a metrics value
// that does not marshal is recorded in its file and reported without
// losing the pictures. A cancelled ctx stops
// decoding and kills ffmpeg; no temporary file is left behind on any path.
// Extract does not retain reqs; it does not call dir.Finish.
func Extract(ctx context.Context, path string, reqs []Request, dir *evidence.Dir, opt ExtractOptions) ([]Evidence, error) {
	if dir == nil {
		return nil, errors.New("report: extract: no evidence directory")
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	half := opt.ClipSeconds
	if !(half > 0) || math.IsInf(half, 0) {
		half = DefaultClipSeconds
	}
	src, err := video.OpenFile(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("report: evidence from %s: %w", path, err)
	}
	defer src.Close()
	info := src.Info()

	got := make([]*Evidence, len(reqs))
	times := make([]time.Duration, len(reqs))
	var errs []error
	fail := func(i int, err error) {
		errs = append(errs, fmt.Errorf("report: evidence for window %d, frame %d: %w", reqs[i].Window, reqs[i].Frame, err))
	}

	// Serve requests in frame order from one decode pass.
	order := make([]int, 0, len(reqs))
	for i, r := range reqs {
		if r.Frame < 0 {
			fail(i, ErrPastEnd)
			continue
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return reqs[order[a]].Frame < reqs[order[b]].Frame })

	frame := analysis.Frame{Image: gocv.NewMat()}
	defer frame.Close()
	marked := gocv.NewMat()
	defer marked.Close()
	next, decoded := 0, 0
	var stopErr error // decoding could not go on
	for next < len(order) {
		if err := ctx.Err(); err != nil {
			return collect(got), errors.Join(append([]error{fmt.Errorf("report: evidence from %s: %w", path, err)}, errs...)...)
		}
		readErr := src.Read(&frame)
		if errors.Is(readErr, io.EOF) {
			break
		}
		if readErr != nil && !errors.Is(readErr, analysis.ErrBadFrame) {
			stopErr = readErr
			break
		}
		decoded = frame.Index + 1
		for next < len(order) && reqs[order[next]].Frame <= frame.Index {
			i := order[next]
			next++
			if readErr != nil {
				fail(i, readErr)
				continue
			}
			ev, err := saveFrame(dir, reqs[i], frame, &marked)
			if err != nil {
				fail(i, err)
			}
			if ev != nil {
				got[i], times[i] = ev, frame.Time
			}
		}
	}
	for _, i := range order[next:] {
		if stopErr != nil {
			fail(i, stopErr)
		} else {
			fail(i, fmt.Errorf("%w: the video has %d frames", ErrPastEnd, decoded))
		}
	}
	// The decoder is not needed for the clips; free it before ffmpeg runs.
	src.Close()

	if !opt.NoClip {
		for i, ev := range got {
			if ev == nil {
				continue
			}
			name := baseName(reqs[i]) + "-clip.mp4"
			err := cutClip(ctx, info, times[i].Seconds(), half, dir, name)
			if ctxErr := ctx.Err(); ctxErr != nil {
				return collect(got), errors.Join(append([]error{fmt.Errorf("report: evidence from %s: %w", path, ctxErr)}, errs...)...)
			}
			if err != nil {
				fail(i, err)
				continue
			}
			ev.Clip = name
		}
	}
	return collect(got), errors.Join(errs...)
}

// collect returns the evidence written so far, in request order.
func collect(got []*Evidence) []Evidence {
	var out []Evidence
	for _, ev := range got {
		if ev != nil {
			out = append(out, *ev)
		}
	}
	return out
}

// baseName is the name stem of a request's files.
func baseName(r Request) string {
	return fmt.Sprintf("w%03d-f%06d", r.Window, r.Frame)
}

// saveFrame writes the plain and annotated PNGs and the metrics of one
// request. marked is scratch owned by the caller. It returns the evidence
// whenever all three files were written, with the metrics error if any.
func saveFrame(dir *evidence.Dir, r Request, f analysis.Frame, marked *gocv.Mat) (*Evidence, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	base := baseName(r)
	ev := &Evidence{
		Window: r.Window, TimeS: f.Time.Seconds(), Frame: f.Index,
		Level: r.Level, Risk: finite(r.Risk), Signal: r.Signal, Reason: r.Reason, Note: r.Note,
		Plain: base + "-plain.png", Marked: base + "-annotated.png", Metrics: base + "-metrics.json",
	}
	if err := writePNG(dir, ev.Plain, f.Image); err != nil {
		return nil, err
	}
	f.Image.CopyTo(marked)
	if err := annotate(marked, r, f.Time); err != nil {
		return nil, err
	}
	if err := writePNG(dir, ev.Marked, *marked); err != nil {
		return nil, err
	}
	b, metricsErr := metricsJSON(r, ev)
	if _, err := dir.WriteFile(ev.Metrics, b); err != nil {
		return nil, err
	}
	// With bad metrics the pictures are still evidence; the caller hears
	// of the metrics through the error.
	return ev, metricsErr
}

// writePNG encodes m as PNG into dir under name.
func writePNG(dir *evidence.Dir, name string, m gocv.Mat) error {
	if err := analysis.ValidateBGR(m); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	buf, err := gocv.IMEncode(gocv.PNGFileExt, m)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	defer buf.Close()
	// GetBytes points into OpenCV's buffer: write before Close.
	_, err = dir.WriteFile(name, buf.GetBytes())
	return err
}

// metricsFile is the layout of -metrics.json.
type metricsFile struct {
	Window int `json:"window"`
	// TimeS is the frame's own time; RequestedTimeS the time the analysis
	// gave for the window.
	TimeS          float64         `json:"time_s"`
	RequestedTimeS float64         `json:"requested_time_s"`
	Frame          int             `json:"frame"`
	Level          string          `json:"level"`
	Risk           float64         `json:"risk"`
	Signal         string          `json:"signal"`
	Reason         string          `json:"reason"`
	Note           string          `json:"note,omitempty"`
	Face           *faceJSON       `json:"face,omitempty"`
	Regions        [][4]int        `json:"regions"` // x, y, width, height
	Metrics        json.RawMessage `json:"metrics"`
	MetricsError   string          `json:"metrics_error,omitempty"`
}

type faceJSON struct {
	Box        [4]int       `json:"box"` // x, y, width, height
	Landmarks  [][2]float64 `json:"landmarks,omitempty"`
	Quality    float64      `json:"quality"`
	Confidence float64      `json:"confidence"`
}

// metricsJSON renders the metrics file. A Metrics value that does not
// marshal (NaN, channels) is replaced by null and its error returned
// beside the still valid file.
func metricsJSON(r Request, ev *Evidence) ([]byte, error) {
	m := metricsFile{
		Window: r.Window, TimeS: round(ev.TimeS, 4), RequestedTimeS: round(finite(r.TimeS), 4), Frame: ev.Frame,
		Level: r.Level, Risk: finite(r.Risk), Signal: r.Signal, Reason: r.Reason, Note: r.Note,
		Regions: [][4]int{}, Metrics: json.RawMessage("null"),
	}
	if f := r.Face; f != nil {
		fj := &faceJSON{Box: [4]int{f.Box.Min.X, f.Box.Min.Y, f.Box.Dx(), f.Box.Dy()},
			Quality: finite(f.Quality), Confidence: finite(f.Confidence)}
		for _, p := range f.Landmarks {
			fj.Landmarks = append(fj.Landmarks, [2]float64{round(finite(p.X), 1), round(finite(p.Y), 1)})
		}
		m.Face = fj
	}
	for _, g := range r.Regions {
		m.Regions = append(m.Regions, [4]int{g.Min.X, g.Min.Y, g.Dx(), g.Dy()})
	}
	var metricsErr error
	if r.Metrics != nil {
		b, err := json.Marshal(r.Metrics)
		if err != nil {
			metricsErr = fmt.Errorf("metrics: %w", err)
			m.MetricsError = err.Error()
		} else {
			m.Metrics = b
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), metricsErr
}

// finite maps NaN and ±Inf to 0 so that JSON can carry the value.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// round rounds x to digits decimals; values too large to scale are
// already coarser than that and come back as they are.
func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	if r := math.Round(x*p) / p; !math.IsInf(r, 0) && !math.IsNaN(r) {
		return r
	}
	return x
}
