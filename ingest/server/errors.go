package server

import "errors"

// Errors returned by the server's constructor and session store.
var (
	// ErrTooManySessions means the store holds MaxSessions unexpired sessions.
	ErrTooManySessions = errors.New("server: too many open interview sessions")
	// ErrInsecureBind means a non-loopback address was asked for without TLS being possible.
	ErrInsecureBind = errors.New("server: beyond loopback the server needs TLS")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("server: closed")
	// ErrNoSession is returned for a session ID the server does not know.
	ErrNoSession = errors.New("no such session")
)
