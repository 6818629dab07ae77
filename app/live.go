package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/unmaskhq/unmask/analysis/face"
	"github.com/unmaskhq/unmask/analysis/fuse"
	"github.com/unmaskhq/unmask/analysis/signal"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/ingest/live"
	"github.com/unmaskhq/unmask/ingest/server"
	"github.com/unmaskhq/unmask/internal/version"
	"github.com/unmaskhq/unmask/internal/wiring"
	"github.com/unmaskhq/unmask/store"
)

// Interview is a new live interview: the link to send the candidate, and
// the WHIP URL and token for a publishing tool such as OBS.
type Interview struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	CandidateURL string    `json:"candidateURL"`
	WHIPURL      string    `json:"whipURL"`
	Token        string    `json:"token"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// Engine is the face models and fusion parameters every live source
// shares; loading them takes about a second, so it happens once.
type Engine struct {
	Models   *face.Models
	Params   fuse.Params
	Detector string
}

// LiveConfig is what a LiveService needs.
type LiveConfig struct {
	// Engine loads the models on first use.
	Engine   func() (*Engine, error)
	Settings *SettingsService
	DB       *store.DB
	// Port is the server's port; 0 means 8443, or any free port when 8443
	// is taken (by `unmask serve`, say).
	Port int
	// Cameras, when set, lets Mark save moments of local camera sessions
	// too (the live screen shows both).
	Cameras *CameraService
	Logger  *slog.Logger
}

// LiveService runs live interviews: it starts the ingest server on the
// first interview (bound to loopback unless the settings allow the LAN),
// analyses each call, sends the overlay to the window, and saves marked
// moments as evidence. Safe for concurrent use.
type LiveService struct {
	cfg LiveConfig
	log *slog.Logger

	mu      sync.Mutex
	rt      Runtime
	srv     *server.Server
	srvStop context.CancelFunc
	srvDone chan struct{}
	views   map[string]*liveView // by session ID
	titles  map[string]string
	dirs    map[string]string // recording folders, by session ID
}

// NewLiveService returns a LiveService; it works once started.
func NewLiveService(cfg LiveConfig) *LiveService {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &LiveService{cfg: cfg, log: log, views: map[string]*liveView{}, titles: map[string]string{}, dirs: map[string]string{}}
}

func (s *LiveService) start(_ context.Context, rt Runtime) {
	s.mu.Lock()
	s.rt = rt
	s.mu.Unlock()
}

func (s *LiveService) stop(context.Context) {
	s.mu.Lock()
	srv, stop, done := s.srv, s.srvStop, s.srvDone
	s.srv = nil
	views := s.views
	s.views = map[string]*liveView{}
	s.mu.Unlock()
	if srv != nil {
		stop()
		srv.Close() // ends every call: recordings are finalised
		<-done
	}
	for _, v := range views {
		v.close()
	}
}

func (s *LiveService) emit(event string, payload any) {
	s.mu.Lock()
	rt := s.rt
	s.mu.Unlock()
	if rt != nil {
		rt.Emit(event, payload)
	}
}

// recordingsDir is where calls are recorded.
func (s *LiveService) recordingsDir() string {
	st, err := s.cfg.Settings.Get()
	if err != nil {
		return filepath.Join(DefaultDataDir(), "recordings")
	}
	return filepath.Join(st.StorageDir, "recordings")
}

// ensureServer starts the ingest server if it is not running.
func (s *LiveService) ensureServer() (*server.Server, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rt == nil {
		return nil, errNotStarted
	}
	if s.srv != nil {
		return s.srv, nil
	}
	st, err := s.cfg.Settings.Get()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(st.StorageDir, "recordings"), 0o700); err != nil {
		return nil, err
	}
	host := "127.0.0.1"
	if st.BindLAN {
		host = "0.0.0.0"
	}
	port := s.cfg.Port
	if port == 0 {
		port = 8443
	}
	var srv *server.Server
	for _, p := range []int{port, 0} {
		srv, err = server.New(server.Config{Addr: net.JoinHostPort(host, strconv.Itoa(p)), DataDir: st.StorageDir,
			Publish: s.publish, Logger: s.log})
		if err != nil {
			return nil, err
		}
		if err = srv.Listen(); err == nil {
			break
		}
		srv.Close()
		if !errors.Is(err, syscall.EADDRINUSE) || s.cfg.Port != 0 {
			return nil, fmt.Errorf("the interview server cannot listen: %w", err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the interview server cannot listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ctx); err != nil {
			s.log.Error("interview server stopped", "err", err)
		}
	}()
	s.srv, s.srvStop, s.srvDone = srv, cancel, done
	s.log.Info("interview server", "url", srv.BaseURL())
	return srv, nil
}

// NewInterview creates a live interview and returns its candidate link.
// The candidate's video appears as EventLiveOverlay once they publish.
func (s *LiveService) NewInterview(title string) (Interview, error) {
	title = strings.TrimSpace(title)
	if len(title) > 200 {
		return Interview{}, errors.New("the title is longer than 200 characters")
	}
	srv, err := s.ensureServer()
	if err != nil {
		return Interview{}, err
	}
	info, err := srv.NewSession()
	if err != nil {
		return Interview{}, err
	}
	if title == "" {
		title = "Interview " + time.Now().Format("2006-01-02 15:04")
	}
	v := newLiveView(info.ID, "live", s.emit)
	s.mu.Lock()
	s.views[info.ID], s.titles[info.ID] = v, title
	s.mu.Unlock()
	if s.cfg.DB != nil {
		if err := s.cfg.DB.PutSession(context.Background(), store.Session{ID: info.ID, Kind: "live", Title: title,
			Source: info.CandidateURL, StartedAt: time.Now().UTC()}); err != nil {
			s.log.Error("live: save session", "err", err)
		}
	}
	return Interview{ID: info.ID, Title: title, CandidateURL: info.CandidateURL, WHIPURL: info.WHIPURL, Token: info.Token, ExpiresAt: info.Expires}, nil
}

// publish starts the analysis of one publish to a session (server.Config.Publish).
func (s *LiveService) publish(ctx context.Context, req server.PublishRequest) (server.Publisher, error) {
	eng, err := s.cfg.Engine()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	v := s.views[req.SessionID]
	s.mu.Unlock()
	if v == nil { // a session made through the admin API
		v = newLiveView(req.SessionID, "live", s.emit)
		s.mu.Lock()
		s.views[req.SessionID] = v
		s.mu.Unlock()
	}
	params, err := wiring.WithSensitivity(eng.Params, s.cfg.Settings.Sensitivity())
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s-%s-%d", time.Now().UTC().Format("20060102-150405"), req.SessionID, req.Take)
	dir := filepath.Join(s.recordingsDir(), name)
	lip := signal.NewLiveLipSync(live.AudioRate, signal.LipSyncConfig{})
	vc := signal.NewVirtualCamera(signal.VirtualCameraConfig{})
	started := time.Now().UTC()
	var call *live.Call
	call, err = live.Start(ctx, live.Config{
		Dir: dir, Models: eng.Models, Detector: eng.Detector, Params: params,
		Signals: wiring.Signals(lip, vc), LipSync: lip, VirtualCamera: vc, Logger: s.log,
		OnFrame: v.onFrame, OnWindow: v.onWindow, OnPicture: v.onPicture,
		OnEnd: func(r live.Result) { s.ended(req.SessionID, v, r, started) },
	}, req)
	if err != nil {
		return nil, err
	}
	v.mu.Lock()
	v.stats = func() (int64, float64, float64) {
		st := call.Snapshot()
		return st.Video.Dropped, st.Video.LatencyMedianMS, st.Audio.Level
	}
	v.mu.Unlock()
	v.setState("connected", "")
	s.mu.Lock()
	s.dirs[req.SessionID] = dir
	s.mu.Unlock()
	go s.follow(v, call)
	return call, nil
}

// follow copies the call's device findings to the view until it ends.
func (s *LiveService) follow(v *liveView, call *live.Call) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		st := call.Snapshot()
		v.setDevices(st.Findings)
		select {
		case <-call.Done():
			return
		case <-t.C:
		}
	}
}

// ended records the call's verdict in the list of past sessions.
func (s *LiveService) ended(id string, v *liveView, r live.Result, started time.Time) {
	v.setState("ended", r.Reason)
	s.emit(EventLiveState, v.State())
	if s.cfg.DB == nil {
		return
	}
	risk, level := 0.0, fuse.Low
	for _, w := range r.Windows {
		if w.Risk > risk {
			risk = w.Risk
		}
		if w.Level.Rank() > level.Rank() {
			level = w.Level
		}
	}
	sess, err := s.cfg.DB.Session(context.Background(), id)
	if err != nil {
		sess = store.Session{ID: id, Kind: "live", Title: "Interview", StartedAt: started}
	}
	sess.Folder, sess.Source = r.Dir, firstNonEmpty(sess.Source, r.Dir)
	sess.EndedAt, sess.Risk, sess.Level = time.Now().UTC(), risk, string(level)
	sess.Frames, sess.Dropped = int(r.Status.Video.Analysed), int(r.Status.Video.Dropped)
	if err := s.cfg.DB.PutSession(context.Background(), sess); err != nil {
		s.log.Error("live: save session", "err", err)
	}
}

// EndInterview ends the call of interview id, if one is live, and stops
// its link from accepting another.
func (s *LiveService) EndInterview(id string) error {
	s.mu.Lock()
	srv := s.srv
	v := s.views[id]
	delete(s.views, id)
	s.mu.Unlock()
	if srv == nil || v == nil {
		return fmt.Errorf("no interview %q", id)
	}
	err := srv.EndSession(id)
	v.close()
	return err
}

// State returns the state of interview id.
func (s *LiveService) State(id string) (LiveState, error) {
	v, err := s.view(id)
	if err != nil {
		return LiveState{}, err
	}
	return v.State(), nil
}

func (s *LiveService) view(id string) (*liveView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[id]
	if !ok {
		return nil, fmt.Errorf("no live session %q", id)
	}
	return v, nil
}

// maxNote bounds a mark's note.
const maxNote = 4000

// Mark saves the moment now showing in session id as evidence: the
// picture, the overlay (risk, signals, reasons) and the note, in a
// hashed folder of its own in the session's recording, and lists it
// with the session.
func (s *LiveService) Mark(id, note string) (store.Mark, error) {
	if len(note) > maxNote {
		return store.Mark{}, fmt.Errorf("the note is longer than %d characters", maxNote)
	}
	v, err := s.view(id)
	var base string
	if err == nil {
		s.mu.Lock()
		base = s.dirs[id]
		s.mu.Unlock()
		if base == "" {
			base = filepath.Join(s.recordingsDir(), "marks-"+id)
		}
	} else if s.cfg.Cameras != nil {
		var cerr error
		if v, cerr = s.cfg.Cameras.view(id); cerr == nil {
			err = nil
			if base, _ = s.cfg.Cameras.markFolder(id); base == "" {
				base = filepath.Join(filepath.Dir(s.recordingsDir()), "cameras", id)
			}
		}
	}
	if err != nil {
		return store.Mark{}, err
	}
	ov, pic := v.latest()
	if pic == nil {
		return store.Mark{}, errors.New("no picture yet: wait for the candidate's video")
	}
	return saveMark(s.cfg.DB, id, base, ov, pic, note)
}

// saveMark writes one marked moment into base/marks/ as an evidence set.
func saveMark(db *store.DB, id, base string, ov Overlay, pic []byte, note string) (store.Mark, error) {
	at := int64(ov.TimeMS)
	dir := filepath.Join(base, "marks", fmt.Sprintf("%09d-%s", at, newID()[:6]))
	out, err := evidence.Open(dir)
	if err != nil {
		return store.Mark{}, err
	}
	meta, err := json.MarshalIndent(struct {
		Note    string  `json:"note"`
		Overlay Overlay `json:"overlay"`
	}{note, ov}, "", "  ")
	if err != nil {
		return store.Mark{}, err
	}
	if _, err := out.WriteFile("frame.jpg", pic); err != nil {
		return store.Mark{}, err
	}
	if _, err := out.WriteFile("moment.json", append(meta, '\n')); err != nil {
		return store.Mark{}, err
	}
	if _, err := out.Finish("unmask "+version.Version, map[string]string{"session": id, "note": note}); err != nil {
		return store.Mark{}, err
	}
	m := store.Mark{SessionID: id, AtMS: at, Note: note, Evidence: dir}
	if db == nil {
		return m, nil
	}
	return db.AddMark(context.Background(), m)
}

// frame returns picture index of live session id (the frame handler).
func (s *LiveService) frame(id string, index int) ([]byte, bool) {
	v, err := s.view(id)
	if err != nil {
		return nil, false
	}
	return v.picture(index)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
