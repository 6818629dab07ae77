package models

import "errors"

var (
	// ErrUnknown is returned for a name that is not in the registry.
	ErrUnknown = errors.New("unknown model")
	// ErrMissing is returned when no search location holds the file.
	ErrMissing = errors.New("model file missing")
	// ErrMismatch is returned when a file is found but its size or SHA-256
	// differ from the registry: a truncated, corrupted or different file.
	ErrMismatch = errors.New("model file does not match the registry")
)
