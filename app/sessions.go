package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/unmaskhq/unmask/store"
)

// SessionService lists past sessions with their verdicts, deletes them,
// and applies the retention setting. Safe for concurrent use.
type SessionService struct {
	db       *store.DB
	settings *SettingsService
	log      *slog.Logger
	now      func() time.Time

	mu     sync.Mutex
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// maxListed bounds the past sessions the start screen lists.
const maxListed = 500

// NewSessionService returns a SessionService over db.
func NewSessionService(db *store.DB, settings *SettingsService, log *slog.Logger) *SessionService {
	if log == nil {
		log = slog.Default()
	}
	s := &SessionService{db: db, settings: settings, log: log, now: time.Now}
	settings.onSaved(func(store.Settings) { s.applyRetention() })
	return s
}

// retentionEvery is how often retention runs while the app is open.
const retentionEvery = time.Hour

func (s *SessionService) start(ctx context.Context, _ Runtime) {
	s.closeStale()
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(retentionEvery)
		defer t.Stop()
		for {
			s.applyRetention()
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (s *SessionService) stop(context.Context) {
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// List returns past sessions, newest first.
func (s *SessionService) List() ([]store.Session, error) {
	out, err := s.db.Sessions(context.Background(), maxListed)
	if out == nil && err == nil {
		out = []store.Session{}
	}
	return out, err
}

// closeStale ends the sessions a previous run left running (the app was
// killed or the machine stopped): nothing runs them any more. Their end
// is unknown, so it is set to their start and they stay unrated unless
// they had a verdict.
func (s *SessionService) closeStale() {
	all, err := s.db.Sessions(context.Background(), 0)
	if err != nil {
		s.log.Error("sessions: list", "err", err)
		return
	}
	for _, sess := range all {
		if !sess.EndedAt.IsZero() {
			continue
		}
		sess.EndedAt = sess.StartedAt
		if err := s.db.PutSession(context.Background(), sess); err != nil {
			s.log.Error("sessions: end a stale session", "session", sess.ID, "err", err)
		}
	}
}

// Marks returns the moments marked in session id.
func (s *SessionService) Marks(id string) ([]store.Mark, error) {
	out, err := s.db.Marks(context.Background(), id)
	if out == nil && err == nil {
		out = []store.Mark{}
	}
	return out, err
}

// Delete removes session id from the list and its folder from disk,
// when the folder lies inside the storage folder (a folder elsewhere was
// the user's, and is left alone).
func (s *SessionService) Delete(id string) error {
	sess, err := s.db.Session(context.Background(), id)
	if err != nil {
		return err
	}
	if err := s.db.DeleteSession(context.Background(), id); err != nil {
		return err
	}
	s.removeFolder(sess.Folder)
	return nil
}

// applyRetention deletes sessions that ended more than the retention
// setting's days ago.
func (s *SessionService) applyRetention() {
	st, err := s.settings.Get()
	if err != nil || st.RetentionDays == 0 {
		return
	}
	old, err := s.db.Expired(context.Background(), s.now(), st.RetentionDays)
	if err != nil {
		s.log.Error("retention", "err", err)
		return
	}
	for _, sess := range old {
		if err := s.db.DeleteSession(context.Background(), sess.ID); err != nil {
			s.log.Error("retention", "session", sess.ID, "err", err)
			continue
		}
		s.removeFolder(sess.Folder)
		s.log.Info("retention: deleted a session", "session", sess.ID, "ended", sess.EndedAt)
	}
}

// removeFolder deletes dir only when it lies inside the storage folder.
func (s *SessionService) removeFolder(dir string) {
	if dir == "" {
		return
	}
	st, err := s.settings.Get()
	if err != nil {
		return
	}
	root, err1 := filepath.Abs(st.StorageDir)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return
	}
	rel, err := filepath.Rel(root, d)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return
	}
	if err := os.RemoveAll(d); err != nil {
		s.log.Error("delete session folder", "dir", d, "err", err)
	}
}
