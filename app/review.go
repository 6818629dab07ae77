package app

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/unmaskhq/unmask/ingest/record"
	"github.com/unmaskhq/unmask/report"
	"github.com/unmaskhq/unmask/store"
)

// ReviewInfo describes an input opened for review.
type ReviewInfo struct {
	ID         string  `json:"id"`
	Path       string  `json:"path"`
	Title      string  `json:"title"`
	DurationMS float64 `json:"durationMs"`
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	FPS        float64 `json:"fps"`
	Frames     int     `json:"frames"`
}

// ReviewConfig is what a ReviewService needs.
type ReviewConfig struct {
	// Analyzer is the `unmask` binary (FindAnalyzer).
	Analyzer string
	// DB keeps the finished reviews in the list of past sessions.
	DB *store.DB
	// CasesDir returns the folder that holds one folder per review; it
	// is asked at each Open, so a changed storage setting applies.
	CasesDir func() string
	// Sensitivity gives the user's setting at each Open (zero: normal).
	Sensitivity func() string
	// OpenAtStart is a recording to open when the window starts (the
	// command line's --open); the window asks for it with Pending.
	OpenAtStart string
	Logger      *slog.Logger
}

// ReviewService opens recordings and recorded calls for reviewers: it
// analyses them in the background (progress as events), keeps every
// frame for the player, and answers the overlay, the timeline and
// exports. Safe for concurrent use.
type ReviewService struct {
	cfg ReviewConfig
	log *slog.Logger

	mu      sync.Mutex
	rt      Runtime
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	reviews map[string]*review
	pending *ReviewInfo
	pendErr error
}

// maxReviews bounds the reviews open at once; each holds a frame spool
// on disk and its overlay track in memory.
const maxReviews = 8

// NewReviewService returns a ReviewService; it works once started.
func NewReviewService(cfg ReviewConfig) *ReviewService {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &ReviewService{cfg: cfg, log: log, reviews: map[string]*review{}}
}

func (s *ReviewService) start(ctx context.Context, rt Runtime) {
	s.mu.Lock()
	s.rt = rt
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.mu.Unlock()
	if s.cfg.OpenAtStart != "" {
		info, err := s.Open(s.cfg.OpenAtStart)
		s.mu.Lock()
		if err == nil {
			s.pending = &info
		} else {
			s.pendErr = err
		}
		s.mu.Unlock()
	}
}

// Pending returns the recording opened from the command line, once; nil
// when there is none. An error says why it could not be opened.
func (s *ReviewService) Pending() (*ReviewInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.pending, s.pendErr
	s.pending, s.pendErr = nil, nil
	return p, err
}

func (s *ReviewService) stop(context.Context) {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	rs := s.reviews
	s.reviews = map[string]*review{}
	s.mu.Unlock()
	s.wg.Wait()
	for _, r := range rs {
		r.close()
	}
}

// review is one opened input.
type review struct {
	info   ReviewInfo
	dir    string // the case folder
	out    string // the analyzer's --out folder inside it
	spool  *frameSpool
	cancel context.CancelFunc

	mu       sync.Mutex
	progress ReviewProgress
	result   *analyzerResult
	track    []trackFrame
}

func (r *review) close() {
	r.cancel()
	r.spool.Close()
}

// Open starts the analysis of path (a video file or a recorded call's
// folder) and returns at once; progress arrives as EventReviewProgress.
func (s *ReviewService) Open(path string) (ReviewInfo, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return ReviewInfo{}, errors.New("no file chosen")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ReviewInfo{}, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return ReviewInfo{}, fmt.Errorf("%s cannot be opened: %w", path, err)
	}
	if st.IsDir() && !record.IsSession(abs) {
		return ReviewInfo{}, fmt.Errorf("%s is a folder but not a recorded call (it has no %s)", path, "session.json")
	}
	s.mu.Lock()
	if s.ctx == nil {
		s.mu.Unlock()
		return ReviewInfo{}, errNotStarted
	}
	if len(s.reviews) >= maxReviews {
		s.mu.Unlock()
		return ReviewInfo{}, fmt.Errorf("%d recordings are open; close one first", maxReviews)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.mu.Unlock()

	id := newID()
	dir := filepath.Join(s.cfg.CasesDir(), time.Now().UTC().Format("20060102-150405")+"-"+id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		cancel()
		return ReviewInfo{}, fmt.Errorf("create the case folder: %w", err)
	}
	src, err := openDisplay(ctx, abs)
	if err != nil {
		cancel()
		os.RemoveAll(dir)
		return ReviewInfo{}, fmt.Errorf("%s cannot be played: %w", path, err)
	}
	spool, err := newFrameSpool(filepath.Join(dir, ".frames.spool"))
	if err != nil {
		cancel()
		src.Close()
		os.RemoveAll(dir)
		return ReviewInfo{}, err
	}
	r := &review{dir: dir, out: filepath.Join(dir, "analysis"), spool: spool, cancel: cancel}
	r.info = ReviewInfo{ID: id, Path: abs, Title: filepath.Base(abs)}
	fillInfo(&r.info, src)
	r.progress = ReviewProgress{ID: id, Total: r.info.Frames}

	s.mu.Lock()
	s.reviews[id] = r
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.analyse(ctx, r, src)
	}()
	return r.info, nil
}

// analyse decodes the frames for the player and runs the analyzer at the
// same time, then loads the overlay track and records the session.
func (s *ReviewService) analyse(ctx context.Context, r *review, src frameSource) {
	started := time.Now()
	spoolErr := make(chan error, 1)
	go func() {
		defer src.Close()
		spoolErr <- spoolFrames(ctx, src, r.spool, nil)
	}()
	var last time.Time
	sens := ""
	if s.cfg.Sensitivity != nil {
		sens = s.cfg.Sensitivity()
	}
	res, err := runAnalyzer(ctx, s.cfg.Analyzer, r.info.Path, r.out, sens, func(p analyzerProgress) {
		r.mu.Lock()
		r.progress.Done, r.progress.FPS = p.Frames, p.FPS
		if p.Total > 0 {
			r.progress.Total = p.Total
		}
		pr := r.progress
		r.mu.Unlock()
		if time.Since(last) >= 100*time.Millisecond { // at most 10 events a second
			last = time.Now()
			s.emit(EventReviewProgress, pr)
		}
	})
	if serr := <-spoolErr; serr != nil && err == nil && !errors.Is(serr, context.Canceled) {
		s.log.Warn("review: some frames cannot be shown", "input", r.info.Path, "err", serr)
	}
	var track []trackFrame
	if err == nil {
		track, err = readTrack(filepath.Join(r.out, "track.jsonl"))
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	// The result is in place and recorded, and the windows sent, before
	// the progress says finished: a window that sees "finished" finds
	// everything there.
	if err == nil {
		r.mu.Lock()
		r.result, r.track = res, track
		if r.info.Frames < res.FramesProcessed {
			r.info.Frames = res.FramesProcessed
		}
		r.mu.Unlock()
		s.record(r, res, started)
		for _, w := range res.Windows {
			s.emit(EventReviewWindow, ReviewWindowEvent{ID: r.info.ID, Window: newRiskWindow(w)})
		}
	}
	r.mu.Lock()
	r.progress.Finished = true
	if err != nil {
		r.progress.Error = err.Error()
	} else {
		r.progress.Done, r.progress.Total = res.FramesProcessed, res.FramesProcessed
	}
	pr := r.progress
	r.mu.Unlock()
	s.emit(EventReviewProgress, pr)
}

// record adds the finished review to the past sessions.
func (s *ReviewService) record(r *review, res *analyzerResult, started time.Time) {
	if s.cfg.DB == nil {
		return
	}
	kind := "file"
	if record.IsSession(r.info.Path) {
		kind = "live"
	}
	sess := store.Session{ID: r.info.ID, Kind: kind, Title: r.info.Title, Source: r.info.Path, Folder: r.dir,
		StartedAt: started.UTC(), EndedAt: time.Now().UTC(), Risk: res.Risk, Level: res.Level,
		Frames: res.FramesProcessed, Dropped: res.Dropped,
		ReportPath: filepath.Join(r.out, report.HTMLName), InputSHA256: res.Input.SHA256}
	if err := s.cfg.DB.PutSession(context.Background(), sess); err != nil {
		s.log.Error("review: save session", "err", err)
	}
}

// Progress returns how far the analysis of id has come.
func (s *ReviewService) Progress(id string) (ReviewProgress, error) {
	r, err := s.get(id)
	if err != nil {
		return ReviewProgress{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.progress, nil
}

// Windows returns the timeline of id: one entry per analysis window.
func (s *ReviewService) Windows(id string) ([]RiskWindow, error) {
	r, err := s.get(id)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.result == nil {
		return []RiskWindow{}, nil
	}
	out := make([]RiskWindow, 0, len(r.result.Windows))
	for _, w := range r.result.Windows {
		out = append(out, newRiskWindow(w))
	}
	return out, nil
}

// maxOverlayBatch bounds one Overlays call.
const maxOverlayBatch = 500

// Overlays returns the overlay of count frames from frame from: face box,
// landmarks, the risk and the signals of the window that covers it, and
// the URL of the frame's picture. Frames past the end are left out.
func (s *ReviewService) Overlays(id string, from, count int) ([]Overlay, error) {
	r, err := s.get(id)
	if err != nil {
		return nil, err
	}
	if from < 0 || count < 0 || count > maxOverlayBatch {
		return nil, fmt.Errorf("overlay range from %d count %d: out of bounds (count at most %d)", from, count, maxOverlayBatch)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.spool.Len()
	if len(r.track) > n {
		n = len(r.track)
	}
	out := make([]Overlay, 0, count)
	for i := from; i < from+count && i < n; i++ {
		o := Overlay{Source: "review", ID: id, Frame: i, Width: r.info.Width, Height: r.info.Height,
			Landmarks: []float64{}, Signals: emptySignals(), Level: "low",
			FrameURL: fmt.Sprintf("/frames/review/%s/%d.jpg", id, i)}
		if i < len(r.track) {
			t := r.track[i]
			o.TimeMS = t.TimeMS
			o.Box = t.box()
			o.Landmarks = t.flatLandmarks()
		} else if r.info.FPS > 0 {
			o.TimeMS = float64(i) * 1000 / r.info.FPS
		}
		if r.result != nil {
			if w, ok := windowAt(r.result.Windows, o.TimeMS/1000); ok {
				o.Risk, o.Level, o.Signals = w.Risk, w.Level, windowSignals(w)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// Close stops the analysis of id, if running, and forgets it; what was
// saved in its case folder stays.
func (s *ReviewService) Close(id string) error {
	s.mu.Lock()
	r, ok := s.reviews[id]
	delete(s.reviews, id)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("no open recording %q", id)
	}
	r.close()
	return nil
}

// frame returns frame i's JPEG of review id (the frame handler).
func (s *ReviewService) frame(id string, i int) ([]byte, bool) {
	r, err := s.get(id)
	if err != nil {
		return nil, false
	}
	b, ok, err := r.spool.Frame(i)
	if err != nil {
		return nil, false
	}
	return b, ok
}

func (s *ReviewService) get(id string) (*review, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reviews[id]
	if !ok {
		return nil, fmt.Errorf("no open recording %q", id)
	}
	return r, nil
}

func (s *ReviewService) emit(event string, payload any) {
	s.mu.Lock()
	rt := s.rt
	s.mu.Unlock()
	if rt != nil {
		rt.Emit(event, payload)
	}
}

// windowAt returns the window that judged time t (seconds): the earliest
// window whose span holds t, since windows slide and overlap, else the
// last window that ended before t.
func windowAt(ws []report.Window, t float64) (report.Window, bool) {
	i := sort.Search(len(ws), func(i int) bool { return ws[i].EndS >= t })
	if i < len(ws) && ws[i].StartS <= t {
		return ws[i], true
	}
	if i > 0 {
		return ws[i-1], true
	}
	return report.Window{}, false
}

// newID returns 16 hex digits from the system's secure random source.
func newID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	return hex.EncodeToString(b[:])
}

// trackFrame is one line of the analyzer's track.jsonl.
type trackFrame struct {
	Index     int          `json:"i"`
	TimeMS    float64      `json:"t_ms"`
	Box       *[4]int      `json:"box"`
	Landmarks [][2]float64 `json:"landmarks"`
}

func (t trackFrame) box() *Rect {
	if t.Box == nil {
		return nil
	}
	return &Rect{X: t.Box[0], Y: t.Box[1], W: t.Box[2], H: t.Box[3]}
}

func (t trackFrame) flatLandmarks() []float64 {
	out := make([]float64, 0, 2*len(t.Landmarks))
	for _, p := range t.Landmarks {
		out = append(out, p[0], p[1])
	}
	return out
}

// readTrack reads track.jsonl into a slice indexed by frame.
func readTrack(path string) ([]trackFrame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("overlay track: %w", err)
	}
	defer f.Close()
	var out []trackFrame
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var t trackFrame
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("overlay track line %d: %w", len(out)+1, err)
		}
		if t.Index < len(out) || t.Index > len(out)+1<<20 {
			return nil, fmt.Errorf("overlay track line %d: frame %d out of order", len(out)+1, t.Index)
		}
		for len(out) < t.Index { // frames the analyzer skipped
			out = append(out, trackFrame{Index: len(out), TimeMS: t.TimeMS})
		}
		out = append(out, t)
	}
	return out, sc.Err()
}

// recordingPatterns are the files the open dialog offers.
var recordingPatterns = []string{"*.mp4", "*.webm", "*.mkv", "*.mov", "*.avi", "*.ivf"}

// PickFile asks the user for a recording; "" when cancelled.
func (s *ReviewService) PickFile() (string, error) {
	rt, err := s.runtime()
	if err != nil {
		return "", err
	}
	return rt.OpenFile("Open a recording", recordingPatterns)
}

// PickFolder asks the user for a recorded call's folder; "" when cancelled.
func (s *ReviewService) PickFolder() (string, error) {
	rt, err := s.runtime()
	if err != nil {
		return "", err
	}
	return rt.OpenDirectory("Open a recorded call")
}

func (s *ReviewService) runtime() (Runtime, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rt == nil {
		return nil, errNotStarted
	}
	return s.rt, nil
}
