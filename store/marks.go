package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// MaxNoteBytes bounds a mark's note: a few paragraphs, not a document.
const MaxNoteBytes = 4 << 10

// maxEvidenceBytes bounds the evidence reference, a path in the session's
// folder.
const maxEvidenceBytes = 4 << 10

// Mark is a moment the user marked in a session.
type Mark struct {
	ID        int64     `json:"id"`
	SessionID string    `json:"sessionId"`
	AtMS      int64     `json:"atMs"`     // milliseconds from the session's start
	Note      string    `json:"note"`     // at most MaxNoteBytes
	Evidence  string    `json:"evidence"` // the evidence file kept for the moment, if any
	CreatedAt time.Time `json:"createdAt"`
}

// AddMark saves m and returns it with its ID and CreatedAt set (any given
// are ignored). It returns ErrNotFound when the session does not exist and
// ErrInvalid for a negative time or a note longer than MaxNoteBytes.
func (db *DB) AddMark(ctx context.Context, m Mark) (Mark, error) {
	switch {
	case m.SessionID == "":
		return Mark{}, invalid("mark has no session")
	case m.AtMS < 0:
		return Mark{}, invalid("mark at %d ms is before the session started", m.AtMS)
	case len(m.Note) > MaxNoteBytes:
		return Mark{}, invalid("mark note is %d bytes, at most %d", len(m.Note), MaxNoteBytes)
	case len(m.Evidence) > maxEvidenceBytes:
		return Mark{}, invalid("mark evidence path is %d bytes, at most %d", len(m.Evidence), maxEvidenceBytes)
	}
	m.CreatedAt = fromMS(toMS(time.Now()))
	// Selecting from sessions makes "no such session" zero rows rather than
	// a constraint error to decode, in one statement.
	err := db.w.QueryRowContext(ctx, `INSERT INTO marks (session_id, at_ms, note, evidence, created_at)
		SELECT id, ?, ?, ?, ? FROM sessions WHERE id = ?
		RETURNING id`,
		m.AtMS, m.Note, m.Evidence, toMS(m.CreatedAt), m.SessionID).Scan(&m.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return Mark{}, fmt.Errorf("%w: session %s", ErrNotFound, m.SessionID)
	}
	if err != nil {
		return Mark{}, fmt.Errorf("store: add mark to %s: %w", m.SessionID, err)
	}
	return m, nil
}

// Marks returns a session's marks in time order, or ErrNotFound when the
// session does not exist. The slice is never nil.
func (db *DB) Marks(ctx context.Context, sessionID string) ([]Mark, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, session_id, at_ms, note, evidence, created_at
		FROM marks WHERE session_id = ? ORDER BY at_ms, id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: marks of %s: %w", sessionID, err)
	}
	defer rows.Close()
	out := []Mark{}
	for rows.Next() {
		var (
			m       Mark
			created int64
		)
		if err := rows.Scan(&m.ID, &m.SessionID, &m.AtMS, &m.Note, &m.Evidence, &created); err != nil {
			return nil, fmt.Errorf("store: marks of %s: %w", sessionID, err)
		}
		m.CreatedAt = fromMS(created)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: marks of %s: %w", sessionID, err)
	}
	if len(out) == 0 {
		if _, err := db.Session(ctx, sessionID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
