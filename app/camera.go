package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/pipeline"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/ingest/camera"
	"github.com/unmaskhq/unmask/ingest/devices"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/store"
)

// CameraConfig is what a CameraService needs.
type CameraConfig struct {
	Engine func() (*Engine, error)
	// List lists the cameras; zero means camera.List with the system's
	// folders.
	List func() ([]camera.Camera, error)
	// Open opens a capture for a device path; zero means OpenCV's
	// VideoCapture. Tests open a video file instead.
	Open func(device string) (*gocv.VideoCapture, error)
	// DB lists camera sessions with the past sessions; Folder is where a
	// camera session's marked moments go. Both may be zero (tests).
	DB     *store.DB
	Folder func(id string) string
	// Sensitivity gives the user's setting at each Start (zero: normal).
	Sensitivity func() string
	Logger      *slog.Logger
}

// CameraService lists the machine's cameras with their driver facts and
// analyses the one the user picks, with the same overlay as a call.
// Safe for concurrent use.
type CameraService struct {
	cfg CameraConfig
	log *slog.Logger

	mu    sync.Mutex
	rt    Runtime
	runs  map[string]*cameraRun
	wg    sync.WaitGroup
	ended bool
}

type cameraRun struct {
	view   *liveView
	cancel context.CancelFunc
	done   chan struct{}
	folder string
}

// NewCameraService returns a CameraService; it works once started.
func NewCameraService(cfg CameraConfig) *CameraService {
	if cfg.List == nil {
		cfg.List = func() ([]camera.Camera, error) { return camera.List(camera.Config{}) }
	}
	if cfg.Open == nil {
		cfg.Open = openCapture
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &CameraService{cfg: cfg, log: log, runs: map[string]*cameraRun{}}
}

func (s *CameraService) start(_ context.Context, rt Runtime) {
	s.mu.Lock()
	s.rt, s.ended = rt, false
	s.mu.Unlock()
}

func (s *CameraService) stop(context.Context) {
	s.mu.Lock()
	s.ended = true
	runs := s.runs
	s.runs = map[string]*cameraRun{}
	s.mu.Unlock()
	for _, r := range runs {
		r.cancel()
	}
	s.wg.Wait()
	for _, r := range runs {
		r.view.close()
	}
}

// List returns the cameras, capture devices first.
func (s *CameraService) List() ([]camera.Camera, error) {
	cams, err := s.cfg.List()
	if cams == nil {
		cams = []camera.Camera{}
	}
	return cams, err
}

// maxCameraRuns bounds the cameras analysed at once.
const maxCameraRuns = 2

// Start analyses device (a path from List) and returns the session ID
// whose overlay arrives as EventLiveOverlay with source "camera".
func (s *CameraService) Start(device string) (string, error) {
	var facts *camera.Camera
	if cams, err := s.cfg.List(); err == nil {
		for i := range cams {
			if cams[i].Device == device {
				facts = &cams[i]
			}
		}
	}
	s.mu.Lock()
	if s.rt == nil || s.ended {
		s.mu.Unlock()
		return "", errNotStarted
	}
	if len(s.runs) >= maxCameraRuns {
		s.mu.Unlock()
		return "", fmt.Errorf("%d cameras are analysed already; stop one first", maxCameraRuns)
	}
	s.mu.Unlock()
	eng, err := s.cfg.Engine()
	if err != nil {
		return "", err
	}
	if s.cfg.Sensitivity != nil {
		e := *eng
		if e.Params, err = wiring.WithSensitivity(e.Params, s.cfg.Sensitivity()); err != nil {
			return "", err
		}
		eng = &e
	}
	vc, err := s.cfg.Open(device)
	if err != nil {
		return "", err
	}
	id := newID()
	ctx, cancel := context.WithCancel(context.Background())
	v := newLiveView(id, "camera", s.emit)
	run := &cameraRun{view: v, cancel: cancel, done: make(chan struct{})}
	if s.cfg.Folder != nil {
		run.folder = s.cfg.Folder(id)
	}
	title := device
	if facts != nil && facts.Name != "" {
		title = facts.Name
	}
	sess := store.Session{ID: id, Kind: store.KindCamera, Title: title, Source: device, Folder: run.folder, StartedAt: time.Now().UTC()}
	s.save(sess)
	var findings, shown []devices.Finding
	if facts != nil && !facts.Virtual {
		// Named in the device panel, with no weight in the verdict.
		reason := "a capture device"
		if facts.Driver != "" {
			reason = "kernel driver " + facts.Driver + ": no sign of a virtual camera"
		}
		shown = append(shown, devices.Finding{Kind: "camera", Device: facts.Name, Product: facts.Driver, Reason: reason})
	}
	if facts != nil && facts.Virtual {
		// The same weight as a browser reporting a virtual camera in use:
		// the reason says whether a kernel driver or only a name showed it.
		findings = append(findings, devices.Finding{Kind: devices.KindVirtualCameraSelected, Device: facts.Name,
			Product: facts.Driver, Strength: devices.StrengthVirtualCameraSelected, Reason: facts.Reason})
	}
	v.setDevices(append(shown, findings...))
	v.setState("connected", "")
	s.mu.Lock()
	s.runs[id] = run
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(run.done)
		defer vc.Close()
		ws, analysed, dropped, err := analyseCamera(ctx, vc, eng, v, findings)
		sess.EndedAt, sess.Frames, sess.Dropped = time.Now().UTC(), analysed, dropped
		sess.Risk, sess.Level = verdictOf(ws)
		s.save(sess)
		msg := ""
		if err != nil && !errors.Is(err, context.Canceled) {
			msg = err.Error()
			s.log.Error("camera analysis stopped", "device", device, "err", err)
		}
		v.setState("ended", msg)
	}()
	return id, nil
}

// save records sess in the past sessions, if there is a database.
func (s *CameraService) save(sess store.Session) {
	if s.cfg.DB == nil {
		return
	}
	if err := s.cfg.DB.PutSession(context.Background(), sess); err != nil {
		s.log.Error("camera: save session", "err", err)
	}
}

// Stop ends the analysis of camera session id.
func (s *CameraService) Stop(id string) error {
	s.mu.Lock()
	r, ok := s.runs[id]
	delete(s.runs, id)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("no camera session %q", id)
	}
	r.cancel()
	<-r.done
	r.view.close()
	return nil
}

func (s *CameraService) view(id string) (*liveView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.runs[id]
	if !ok {
		return nil, fmt.Errorf("no camera session %q", id)
	}
	return r.view, nil
}

// markFolder is where camera session id keeps its marked moments.
func (s *CameraService) markFolder(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.runs[id]
	if !ok || r.folder == "" {
		return "", false
	}
	return r.folder, true
}

// frame returns picture index of camera session id.
func (s *CameraService) frame(id string, index int) ([]byte, bool) {
	v, err := s.view(id)
	if err != nil {
		return nil, false
	}
	return v.picture(index)
}

func (s *CameraService) emit(event string, payload any) {
	s.mu.Lock()
	rt := s.rt
	s.mu.Unlock()
	if rt != nil {
		rt.Emit(event, payload)
	}
}

// openCapture opens a V4L2 device path (or anything OpenCV opens).
func openCapture(device string) (*gocv.VideoCapture, error) {
	vc, err := gocv.OpenVideoCapture(device)
	if err != nil {
		return nil, fmt.Errorf("camera %s cannot be opened: %w", device, err)
	}
	if !vc.IsOpened() {
		vc.Close()
		return nil, fmt.Errorf("camera %s cannot be opened (in use by another program?)", device)
	}
	return vc, nil
}

// captureSource reads a camera as fast as it delivers and hands frames on;
// the pipeline's Latest policy drops (and counts) what analysis cannot
// keep up with, so the camera is never made to wait.
type captureSource struct {
	vc    *gocv.VideoCapture
	view  *liveView
	fps   float64 // of a file standing in for a camera: pace it
	clock *captureClock
}

// captureClock keeps when recent frames were read, for the latency from
// capture to analysis result, and how many were read.
type captureClock struct {
	mu      sync.Mutex
	read    int
	at      [256]time.Time
	latency []time.Duration // the last 100
}

func (c *captureClock) captured(index int) {
	c.mu.Lock()
	c.at[index%len(c.at)] = time.Now()
	c.read = index + 1
	c.mu.Unlock()
}

func (c *captureClock) analysed(index int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.at[index%len(c.at)]; !t.IsZero() {
		if len(c.latency) == 100 {
			c.latency = c.latency[1:]
		}
		c.latency = append(c.latency, time.Since(t))
	}
}

// medianMS is the median latency in ms, and the frames read.
func (c *captureClock) medianMS() (float64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.latency) == 0 {
		return 0, c.read
	}
	l := slices.Clone(c.latency)
	slices.Sort(l)
	return float64(l[len(l)/2]) / float64(time.Millisecond), c.read
}

// maxReadFailures ends the run when the camera stops delivering
// (unplugged): about 2 s of failed reads.
const maxReadFailures = 60

func (c captureSource) Frames(ctx context.Context, out chan<- analysis.Frame) error {
	defer close(out)
	start := time.Now()
	fails, index := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		img := gocv.NewMat()
		if ok := c.vc.Read(&img); !ok || analysis.ValidateBGR(img) != nil {
			img.Close()
			if fails++; fails >= maxReadFailures {
				return errors.New("the camera stopped delivering frames")
			}
			time.Sleep(33 * time.Millisecond)
			continue
		}
		fails = 0
		at := time.Since(start)
		if c.fps > 0 { // a file: deliver at its own rate, as a camera would
			at = time.Duration(float64(index) / c.fps * float64(time.Second))
			if d := at - time.Since(start); d > 0 {
				time.Sleep(d)
			}
		}
		c.clock.captured(index)
		c.view.onPicture(index, img)
		select {
		case out <- analysis.Frame{Index: index, Time: at, Image: img}:
		case <-ctx.Done():
			img.Close()
			return ctx.Err()
		}
		index++
	}
}

// analyseCamera runs every signal over the camera until ctx ends, and
// returns the windows and how many frames were analysed and dropped.
// There is no voice: lip-sync says so rather than scoring.
func analyseCamera(ctx context.Context, vc *gocv.VideoCapture, eng *Engine, v *liveView, findings []devices.Finding) ([]fuse.Window, int, int, error) {
	an, err := face.NewAnalyzer(eng.Models, face.Config{Detector: eng.Detector})
	if err != nil {
		return nil, 0, 0, err
	}
	defer an.Close()
	vcs := signal.NewVirtualCamera(signal.VirtualCameraConfig{})
	for _, f := range findings {
		vcs.Note(f.Reason, f.Strength)
	}
	tl := fuse.NewTimeline(eng.Params, wiring.Signals(signal.NewLipSync(nil, signal.LipSyncConfig{}), vcs)...)
	tl.OnWindow = v.onWindow
	src := captureSource{vc: vc, view: v, clock: &captureClock{}}
	if n := vc.Get(gocv.VideoCaptureFrameCount); n > 0 { // a file, not a device
		src.fps = vc.Get(gocv.VideoCaptureFPS)
	}
	var analysed atomic.Int64
	sink := func(r analysis.FrameResult) error {
		src.clock.analysed(r.Index)
		analysed.Add(1)
		v.onFrame(r)
		tl.Observe(r)
		return nil
	}
	// While running, frames read but neither analysed nor in the two
	// places a frame waits (queue and stage) were dropped.
	v.mu.Lock()
	v.stats = func() (int64, float64, float64) {
		lat, read := src.clock.medianMS()
		return max(0, int64(read)-analysed.Load()-2), lat, 0
	}
	v.mu.Unlock()
	res, err := pipeline.Run(ctx, src, an, sink, pipeline.Options{Policy: pipeline.Latest, Measure: true})
	tl.Finish()
	return tl.Windows(), res.Analysed, res.Dropped, err
}

// verdictOf is the highest risk and level over ws.
func verdictOf(ws []fuse.Window) (float64, string) {
	risk, level := 0.0, fuse.Low
	for _, w := range ws {
		risk = max(risk, w.Risk)
		if w.Level.Rank() > level.Rank() {
			level = w.Level
		}
	}
	return risk, string(level)
}
