package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
)

// Detection sensitivities.
const (
	SensitivityLow    = "low"
	SensitivityNormal = "normal"
	SensitivityHigh   = "high"
)

// MaxRetentionDays is ten years: beyond it "keep forever" (0) is meant.
const MaxRetentionDays = 3650

// Settings are the user's choices in the settings view.
type Settings struct {
	StorageDir    string `json:"storageDir"`    // where session folders are created
	RetentionDays int    `json:"retentionDays"` // 0 keeps sessions forever
	BindLAN       bool   `json:"bindLAN"`       // serve the candidate page beyond this machine
	Sensitivity   string `json:"sensitivity"`   // SensitivityLow, SensitivityNormal or SensitivityHigh
}

// DefaultSettings returns the settings of a fresh install: keep everything,
// listen on this machine only, normal sensitivity.
func DefaultSettings(storageDir string) Settings {
	return Settings{StorageDir: storageDir, Sensitivity: SensitivityNormal}
}

// Validate reports every problem in s, each wrapping ErrInvalid.
func (s Settings) Validate() error {
	var errs []error
	if !filepath.IsAbs(s.StorageDir) {
		errs = append(errs, invalid("storage folder %q is not an absolute path", s.StorageDir))
	}
	if s.RetentionDays < 0 || s.RetentionDays > MaxRetentionDays {
		errs = append(errs, invalid("retention of %d days is outside 0..%d", s.RetentionDays, MaxRetentionDays))
	}
	switch s.Sensitivity {
	case SensitivityLow, SensitivityNormal, SensitivityHigh:
	default:
		errs = append(errs, invalid("sensitivity %q is not low, normal or high", s.Sensitivity))
	}
	return errors.Join(errs...)
}

// Settings returns the saved settings, with defaults for any never saved.
// Saved settings that no longer validate (an older build's, or an edited
// file) give an error wrapping ErrInvalid rather than being used.
func (db *DB) Settings(ctx context.Context, defaults Settings) (Settings, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return Settings{}, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	saved := map[string]json.RawMessage{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return Settings{}, fmt.Errorf("store: settings: %w", err)
		}
		saved[k] = json.RawMessage(v)
	}
	if err := rows.Err(); err != nil {
		return Settings{}, fmt.Errorf("store: settings: %w", err)
	}
	if len(saved) == 0 {
		return defaults, nil
	}
	// Keys are the JSON field names: a field added later keeps its default
	// until saved, and a key this build does not know is ignored.
	b, err := json.Marshal(saved)
	if err != nil {
		return Settings{}, fmt.Errorf("store: settings: %w", err)
	}
	s := defaults
	if err := json.Unmarshal(b, &s); err != nil {
		return Settings{}, fmt.Errorf("%w: saved settings: %v", ErrInvalid, err)
	}
	if err := s.Validate(); err != nil {
		return Settings{}, fmt.Errorf("saved settings: %w", err)
	}
	return s, nil
}

// SaveSettings validates s and saves it in one transaction.
func (db *DB) SaveSettings(ctx context.Context, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	defer tx.Rollback()
	for k, v := range fields {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, string(v)); err != nil {
			return fmt.Errorf("store: save setting %s: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	return nil
}
