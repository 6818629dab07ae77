package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/unmaskhq/unmask/internal/datadir"
	"github.com/unmaskhq/unmask/store"
)

// DefaultDataDir is where the app keeps its database and, unless the
// user chooses another storage folder, its sessions (internal/datadir:
// the folder `unmask serve` uses too).
func DefaultDataDir() string { return datadir.Default() }

// SettingsService reads and saves the user's settings. Safe for
// concurrent use; it caches the settings so other services can ask for
// them on every action without touching the database.
type SettingsService struct {
	db       *store.DB
	defaults store.Settings

	mu  sync.Mutex
	cur *store.Settings
	// onSave is told about a saved change (retention runs at once).
	onSave []func(store.Settings)
}

// NewSettingsService returns a SettingsService over db whose defaults
// keep sessions under dataDir.
func NewSettingsService(db *store.DB, dataDir string) *SettingsService {
	return &SettingsService{db: db, defaults: store.DefaultSettings(dataDir)}
}

func (s *SettingsService) start(context.Context, Runtime) {}
func (s *SettingsService) stop(context.Context)           {}

// Get returns the current settings.
func (s *SettingsService) Get() (store.Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		return *s.cur, nil
	}
	st, err := s.db.Settings(context.Background(), s.defaults)
	if err != nil {
		return store.Settings{}, err
	}
	s.cur = &st
	return st, nil
}

// Save validates and stores st, creating its storage folder, and returns
// what was saved.
func (s *SettingsService) Save(st store.Settings) (store.Settings, error) {
	if err := st.Validate(); err != nil {
		return store.Settings{}, err
	}
	if err := os.MkdirAll(st.StorageDir, 0o700); err != nil {
		return store.Settings{}, errors.New("the storage folder cannot be created: " + err.Error())
	}
	s.mu.Lock()
	if err := s.db.SaveSettings(context.Background(), st); err != nil {
		s.mu.Unlock()
		return store.Settings{}, err
	}
	s.cur = &st
	hooks := append([]func(store.Settings){}, s.onSave...)
	s.mu.Unlock()
	for _, h := range hooks {
		h(st)
	}
	return st, nil
}

// onSaved registers f to be called after each saved change.
func (s *SettingsService) onSaved(f func(store.Settings)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onSave = append(s.onSave, f)
}

// Sensitivity is the saved sensitivity ("low", "normal" or "high").
func (s *SettingsService) Sensitivity() string {
	st, err := s.Get()
	if err != nil {
		return "normal"
	}
	return st.Sensitivity
}

// CameraDir is the folder of local camera session id (its marks).
func (s *SettingsService) CameraDir(id string) string {
	st, err := s.Get()
	if err != nil {
		st = s.defaults
	}
	return filepath.Join(st.StorageDir, "cameras", id)
}

// CasesDir is the folder that holds one folder per reviewed recording.
func (s *SettingsService) CasesDir() string {
	st, err := s.Get()
	if err != nil {
		st = s.defaults
	}
	return filepath.Join(st.StorageDir, "cases")
}
