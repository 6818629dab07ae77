package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// Session kinds.
const (
	KindLive   = "live"   // an interview received over the network
	KindFile   = "file"   // a recording analysed from disk
	KindCamera = "camera" // a local capture device
)

// Verdict levels; "" means none yet.
const (
	LevelLow    = "low"
	LevelMedium = "medium"
	LevelHigh   = "high"
)

// Session is one analysed interview, file or camera run.
type Session struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`   // KindLive, KindFile or KindCamera
	Title       string    `json:"title"`  // shown in the history list
	Source      string    `json:"source"` // input path, device or candidate link
	Folder      string    `json:"folder"` // the session's evidence and recording folder
	StartedAt   time.Time `json:"startedAt"`
	EndedAt     time.Time `json:"endedAt"` // zero while running
	Risk        float64   `json:"risk"`    // 0..1
	Level       string    `json:"level"`   // "", LevelLow, LevelMedium or LevelHigh
	Frames      int       `json:"frames"`
	Dropped     int       `json:"dropped"`
	ReportPath  string    `json:"reportPath"`
	InputSHA256 string    `json:"inputSha256"`
}

// validate refuses what the history view could not show sensibly.
func (s Session) validate() error {
	switch {
	case s.ID == "":
		return invalid("session has no id")
	case s.Kind != KindLive && s.Kind != KindFile && s.Kind != KindCamera:
		return invalid("session kind %q is not live, file or camera", s.Kind)
	case s.Level != "" && s.Level != LevelLow && s.Level != LevelMedium && s.Level != LevelHigh:
		return invalid("session level %q is not low, medium or high", s.Level)
	case s.StartedAt.IsZero():
		// The list is ordered by it.
		return invalid("session %s has no start time", s.ID)
	case !s.EndedAt.IsZero() && s.EndedAt.Before(s.StartedAt):
		return invalid("session %s ends before it starts", s.ID)
	case math.IsNaN(s.Risk) || s.Risk < 0 || s.Risk > 1:
		// SQLite would store NaN as NULL and fail every later read.
		return invalid("session %s risk %v is outside 0..1", s.ID, s.Risk)
	case s.Frames < 0 || s.Dropped < 0:
		return invalid("session %s has negative frame counts", s.ID)
	}
	return nil
}

const sessionColumns = `id, kind, title, source, folder, started_at, ended_at,
	risk, level, frames, dropped, report_path, input_sha256`

// PutSession inserts s, or replaces the session with its ID. It returns
// ErrInvalid without an ID, with an unknown kind or level, without a start
// time, or with a risk outside 0..1.
func (db *DB) PutSession(ctx context.Context, s Session) error {
	if err := s.validate(); err != nil {
		return err
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			kind = excluded.kind, title = excluded.title, source = excluded.source,
			folder = excluded.folder, started_at = excluded.started_at,
			ended_at = excluded.ended_at, risk = excluded.risk, level = excluded.level,
			frames = excluded.frames, dropped = excluded.dropped,
			report_path = excluded.report_path, input_sha256 = excluded.input_sha256`,
		s.ID, s.Kind, s.Title, s.Source, s.Folder, toMS(s.StartedAt), nullMS(s.EndedAt),
		s.Risk, s.Level, s.Frames, s.Dropped, s.ReportPath, s.InputSHA256)
	if err != nil {
		return fmt.Errorf("store: put session %s: %w", s.ID, err)
	}
	return nil
}

// Session returns the session with id, or ErrNotFound.
func (db *DB) Session(ctx context.Context, id string) (Session, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id)
	s, err := scanSession(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("%w: session %s", ErrNotFound, id)
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session %s: %w", id, err)
	}
	return s, nil
}

// Sessions returns up to limit sessions, newest start first; limit <= 0
// returns them all. The slice is never nil, so the window gets [] not null.
func (db *DB) Sessions(ctx context.Context, limit int) ([]Session, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		ORDER BY started_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	return collectSessions(rows)
}

// DeleteSession deletes the session with id and its marks, or returns
// ErrNotFound. Its folder on disk is the caller's to remove.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete session %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: delete session %s: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("%w: session %s", ErrNotFound, id)
	}
	return nil
}

// Expired returns the finished sessions that ended more than days before
// now, oldest first, for the retention sweep; none when days is 0 (keep
// forever). Sessions still running never expire.
func (db *DB) Expired(ctx context.Context, now time.Time, days int) ([]Session, error) {
	if days < 0 {
		return nil, invalid("retention of %d days", days)
	}
	if days == 0 {
		return []Session{}, nil
	}
	cutoff := now.Add(-time.Duration(days) * 24 * time.Hour)
	rows, err := db.r.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE ended_at IS NOT NULL AND ended_at < ?
		ORDER BY ended_at, id`, toMS(cutoff))
	if err != nil {
		return nil, fmt.Errorf("store: expired sessions: %w", err)
	}
	return collectSessions(rows)
}

type scanner interface{ Scan(dest ...any) error }

func scanSession(sc scanner) (Session, error) {
	var (
		s       Session
		started int64
		ended   sql.NullInt64
	)
	err := sc.Scan(&s.ID, &s.Kind, &s.Title, &s.Source, &s.Folder, &started, &ended,
		&s.Risk, &s.Level, &s.Frames, &s.Dropped, &s.ReportPath, &s.InputSHA256)
	if err != nil {
		return Session{}, err
	}
	s.StartedAt = fromMS(started)
	if ended.Valid {
		s.EndedAt = fromMS(ended.Int64)
	}
	return s, nil
}

func collectSessions(rows *sql.Rows) ([]Session, error) {
	defer rows.Close()
	out := []Session{}
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("store: read session: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read sessions: %w", err)
	}
	return out, nil
}

// Times are unix milliseconds: exact, sortable, and cheap to compare.
func toMS(t time.Time) int64 { return t.UnixMilli() }

func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMS stores a zero time as NULL ("not yet"), not as year 1.
func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: toMS(t), Valid: true}
}
