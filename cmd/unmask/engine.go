package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/audio"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/ingest/devices"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/models"
)

// signalNames are the signals in report order (internal/wiring decides
// which run, for the CLI and the app alike).
var signalNames = wiring.SignalNames

// signalSet builds every signal, in signalNames order.
func signalSet(lip *signal.LipSync, vc *signal.VirtualCamera) []signal.Signal {
	return wiring.Signals(lip, vc)
}

// loadFusion reads the fusion parameters from the model registry.
func loadFusion(reg *models.Registry) (fuse.Params, error) { return wiring.Fusion(reg) }

// engineOpts is one analysis of one input.
type engineOpts struct {
	audio string // a WAV to use instead of the input's own sound
	// voiceStart is where on the frames' clock the WAV starts (a recorded
	// call's voice may start after its first frame).
	voiceStart time.Duration
	// findings are device facts for the virtual-camera signal (a call).
	findings []devices.Finding
	detector string
	params   fuse.Params
	// onFrame sees every result after the signals (track file, progress).
	onFrame func(analysis.FrameResult) error
}

// engineResult is what one analysis found.
type engineResult struct {
	info     video.Info
	res      pipeline.Result
	stats    video.Stats
	face     face.Stats
	qsum     float64
	windows  []fuse.Window
	summary  fuse.Summary
	warnings []string
	// faces holds the face of every frame that evidence may point at
	// (frames referenced by windows at medium or above).
	faces       map[int]*analysis.Face
	audioSource string
}

// recentSpan is how far back evidence frames can lie behind the frame
// that closes their window: the longest signal window plus slack.
const recentSpan = 12 * time.Second

// runEngine analyses one video file with every signal. src is closed by
// the caller.
func runEngine(ctx context.Context, src engineSource, fm *face.Models, o engineOpts) (*engineResult, error) {
	info := src.Info()
	out := &engineResult{info: info, faces: map[int]*analysis.Face{}}

	pcm, note, err := loadAudio(ctx, info, o.audio)
	if err != nil {
		return nil, err
	}
	if note != "" {
		out.warnings = append(out.warnings, note)
	}
	if pcm != nil && o.voiceStart > 0 {
		lead := make([]float32, int(o.voiceStart.Seconds()*float64(pcm.Rate)), int(o.voiceStart.Seconds()*float64(pcm.Rate))+len(pcm.Samples))
		pcm.Samples = append(lead, pcm.Samples...)
	}
	if pcm != nil {
		out.audioSource = "input"
		if o.audio != "" {
			out.audioSource = o.audio
		}
		if d := pcm.Duration() - info.Duration; info.Duration > 0 && math.Abs(d.Seconds()) > 0.5 {
			word := "longer"
			if d < 0 {
				word = "shorter"
			}
			out.warnings = append(out.warnings, fmt.Sprintf("the audio is %.1f s %s than the video; lip-sync is judged only where both exist", math.Abs(d.Seconds()), word))
		}
	}

	an, err := face.NewAnalyzer(fm, face.Config{Detector: o.detector})
	if err != nil {
		return nil, fail(exitModels, err)
	}
	defer an.Close()

	vc := signal.NewVirtualCamera(signal.VirtualCameraConfig{})
	for _, f := range o.findings {
		vc.Note(f.Reason, f.Strength)
		out.warnings = append(out.warnings, "device: "+f.Reason)
	}
	tl := fuse.NewTimeline(o.params, signalSet(signal.NewLipSync(pcm, signal.LipSyncConfig{}), vc)...)
	// Keep recent faces so that a window at medium or above can name the
	// face of the frame its evidence shows.
	recent := map[int]*analysis.Face{}
	var order []analysis.FrameResult
	tl.OnWindow = func(w fuse.Window) {
		if w.Level.Rank() < fuse.Medium.Rank() {
			return
		}
		for _, idx := range append(evidenceFrames(w), w.EndFrame) {
			if f, ok := recent[idx]; ok {
				out.faces[idx] = f
			}
		}
	}
	sink := func(r analysis.FrameResult) error {
		if r.HasFace() {
			out.qsum += r.Face.Quality
			recent[r.Index] = r.Face
		}
		order = append(order, analysis.FrameResult{Index: r.Index, Time: r.Time})
		for len(order) > 0 && r.Time-order[0].Time > recentSpan {
			delete(recent, order[0].Index)
			order = order[1:]
		}
		tl.Observe(r)
		if o.onFrame != nil {
			return o.onFrame(r)
		}
		return nil
	}
	res, runErr := pipeline.Run(ctx, src, an, sink, pipeline.Options{Policy: pipeline.Block, Measure: true})
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return nil, runErr
		}
		if errors.Is(runErr, analysis.ErrBadFrame) || errors.Is(runErr, pipeline.ErrTooManyBadFrames) {
			return nil, fail(exitInput, runErr)
		}
		return nil, fail(exitInternal, runErr)
	}
	tl.Finish()
	out.res, out.stats, out.face = res, src.Stats(), an.Stats()
	out.windows = tl.Windows()
	out.summary = fuse.Summarise(o.params, out.windows, signalNames)
	if n := tl.Errors(); n > 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("signals failed on %d frame observations", n))
	}
	return out, nil
}

// evidenceFrames are the frames the window's signals point at, strongest
// first.
func evidenceFrames(w fuse.Window) []int {
	var idx []int
	for _, r := range w.Reasons {
		for _, s := range w.Scores {
			if s.Signal == r.Signal && len(s.Frames) > 0 {
				idx = append(idx, s.Frames[0])
			}
		}
	}
	return idx
}

// loadAudio returns the sound to judge lip-sync by: the WAV given with
// --audio, else the input's own track. No sound is not an error (lip-sync
// then says "no audio"); a WAV that cannot be read is.
func loadAudio(ctx context.Context, info video.Info, wav string) (*audio.PCM, string, error) {
	if wav != "" {
		if st, err := os.Stat(wav); err != nil || !st.Mode().IsRegular() {
			return nil, "", fail(exitInput, fmt.Errorf("--audio %s: not a readable file", wav))
		}
		p, err := audio.ReadWAV(wav)
		if err != nil {
			return nil, "", fail(exitInput, fmt.Errorf("--audio %s: %w", wav, err))
		}
		if len(p.Samples) == 0 {
			return nil, "the --audio file holds no samples; lip-sync not judged", nil
		}
		return &p, "", nil
	}
	if !info.HasAudio {
		return nil, "", nil
	}
	p, err := audio.Demux(ctx, info.Path)
	switch {
	case errors.Is(err, context.Canceled):
		return nil, "", err
	case errors.Is(err, audio.ErrNoAudio):
		return nil, "", nil
	case err != nil:
		return nil, fmt.Sprintf("the input's audio could not be decoded (%v); lip-sync not judged", err), nil
	}
	if len(p.Samples) == 0 {
		return nil, "", nil
	}
	return &p, "", nil
}
