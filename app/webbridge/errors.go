package webbridge

import "errors"

// ErrNotStructPointer is returned by New for a bound value that is not a
// non-nil pointer to a struct.
var ErrNotStructPointer = errors.New("webbridge: not a non-nil pointer to a struct")

// ErrNotDecodable is returned by New for a method with a parameter that
// JSON cannot be decoded into, such as a func, a chan or a non-empty
// interface (context.Context among them).
var ErrNotDecodable = errors.New("webbridge: parameter cannot be decoded from JSON")

// ErrDuplicateMethod is returned by New when two bound values give the same
// window.go name, such as two values of one type.
var ErrDuplicateMethod = errors.New("webbridge: method bound twice")

// errClosed refuses event streams after Close.
var errClosed = errors.New("webbridge: closed")
