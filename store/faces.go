package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// DescriptorLen is the length of a face descriptor the gallery keeps: dlib's
// ResNet face descriptor (analysis/embed).
const DescriptorLen = 128

// Face sources.
const (
	FaceLive     = "live"     // the candidate on camera
	FaceDocument = "document" // the portrait on the document they held up
)

// maxNameBytes bounds a gallery name.
const maxNameBytes = 256

// Face is one descriptor in the gallery.
type Face struct {
	ID         int64     `json:"id"`
	SessionID  string    `json:"sessionId"`
	Name       string    `json:"name"`
	Source     string    `json:"source"` // FaceLive or FaceDocument
	SeenAt     time.Time `json:"seenAt"`
	Descriptor []float32 `json:"-"` // never sent to the window
}

// FaceMatch is a gallery face close to a query, with its session's facts.
type FaceMatch struct {
	Face
	Distance     float64   `json:"distance"`
	SessionTitle string    `json:"sessionTitle"`
	StartedAt    time.Time `json:"startedAt"`
}

// AddFace saves f and returns it with its ID set. It returns ErrNotFound
// when the session does not exist and ErrInvalid for a descriptor that is
// not DescriptorLen finite values, an unknown source or a long name.
func (db *DB) AddFace(ctx context.Context, f Face) (Face, error) {
	switch {
	case f.SessionID == "":
		return Face{}, invalid("face has no session")
	case f.Source != FaceLive && f.Source != FaceDocument:
		return Face{}, invalid("face source %q", f.Source)
	case len(f.Name) > maxNameBytes:
		return Face{}, invalid("face name is %d bytes, at most %d", len(f.Name), maxNameBytes)
	case f.SeenAt.IsZero():
		return Face{}, invalid("face has no time")
	}
	blob, err := encodeDescriptor(f.Descriptor)
	if err != nil {
		return Face{}, err
	}
	f.SeenAt = fromMS(toMS(f.SeenAt))
	err = db.w.QueryRowContext(ctx, `INSERT INTO faces (session_id, name, source, seen_at, descriptor)
		SELECT id, ?, ?, ?, ? FROM sessions WHERE id = ?
		RETURNING id`, f.Name, f.Source, toMS(f.SeenAt), blob, f.SessionID).Scan(&f.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return Face{}, fmt.Errorf("%w: session %s", ErrNotFound, f.SessionID)
	}
	if err != nil {
		return Face{}, fmt.Errorf("store: add face to %s: %w", f.SessionID, err)
	}
	return f, nil
}

// SimilarFaces returns the gallery faces within maxDistance (Euclidean)
// of d, nearest first, at most limit (all when limit <= 0), leaving out
// the session exclude (the one asking). It reads every descriptor, which
// is simple and fast enough for an interview team's history: BenchmarkSimilarFaces
// measures a gallery of 10 000 faces (100 interviews of 100 samples).
func (db *DB) SimilarFaces(ctx context.Context, d []float32, maxDistance float64, limit int, exclude string) ([]FaceMatch, error) {
	if _, err := encodeDescriptor(d); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT f.id, f.session_id, f.name, f.source, f.seen_at, f.descriptor,
			s.title, s.started_at
		FROM faces f JOIN sessions s ON s.id = f.session_id
		WHERE f.session_id != ?`, exclude)
	if err != nil {
		return nil, fmt.Errorf("store: similar faces: %w", err)
	}
	defer rows.Close()
	out := []FaceMatch{}
	var blob sql.RawBytes // valid until the next Scan: no copy per face
	for rows.Next() {
		var (
			m             FaceMatch
			seen, started int64
		)
		if err := rows.Scan(&m.ID, &m.SessionID, &m.Name, &m.Source, &seen, &blob, &m.SessionTitle, &started); err != nil {
			return nil, fmt.Errorf("store: similar faces: %w", err)
		}
		dist, ok := distance(d, blob)
		if !ok || dist > maxDistance {
			continue
		}
		m.SeenAt, m.StartedAt, m.Distance = fromMS(seen), fromMS(started), dist
		m.Descriptor = decodeDescriptor(blob)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: similar faces: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Distance < out[j].Distance })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Faces returns the gallery faces of a session in the order they were
// added. The slice is never nil.
func (db *DB) Faces(ctx context.Context, sessionID string) ([]Face, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, session_id, name, source, seen_at, descriptor
		FROM faces WHERE session_id = ? ORDER BY id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: faces of %s: %w", sessionID, err)
	}
	defer rows.Close()
	out := []Face{}
	for rows.Next() {
		var (
			f    Face
			seen int64
			blob []byte
		)
		if err := rows.Scan(&f.ID, &f.SessionID, &f.Name, &f.Source, &seen, &blob); err != nil {
			return nil, fmt.Errorf("store: faces of %s: %w", sessionID, err)
		}
		f.SeenAt, f.Descriptor = fromMS(seen), decodeDescriptor(blob)
		out = append(out, f)
	}
	return out, rows.Err()
}

func encodeDescriptor(d []float32) ([]byte, error) {
	if len(d) != DescriptorLen {
		return nil, invalid("face descriptor has %d values, want %d", len(d), DescriptorLen)
	}
	b := make([]byte, 4*DescriptorLen)
	for i, v := range d {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, invalid("face descriptor value %d is not finite", i)
		}
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b, nil
}

func decodeDescriptor(b []byte) []float32 {
	if len(b) != 4*DescriptorLen {
		return nil
	}
	d := make([]float32, DescriptorLen)
	for i := range d {
		d[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return d
}

// distance is the Euclidean distance between d and an encoded descriptor,
// without decoding it into a slice.
func distance(d []float32, b []byte) (float64, bool) {
	if len(b) != 4*DescriptorLen {
		return 0, false
	}
	var s float64
	for i, v := range d {
		x := float64(v) - float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		s += x * x
	}
	return math.Sqrt(s), true
}
