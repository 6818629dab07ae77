package store

import (
	"errors"
	"fmt"
)

var (
	// ErrNotFound is returned when a session does not exist.
	ErrNotFound = errors.New("store: not found")

	// ErrInvalid is returned for a value the store refuses to save.
	ErrInvalid = errors.New("store: invalid")

	// ErrNewerSchema is returned by Open for a database written by a newer
	// version of Unmask: this build cannot know what it would break.
	ErrNewerSchema = errors.New("store: database is from a newer version of Unmask")

	// ErrNotDatabase is returned by Open for a file that is not an Unmask
	// database: not SQLite at all, or another program's SQLite file.
	ErrNotDatabase = errors.New("store: not an Unmask database")
)

// invalid wraps ErrInvalid with what was wrong.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
