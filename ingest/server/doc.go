// Package server is the ingest server: the candidate link, the WHIP
// endpoint (RFC 9725) and a small authenticated API for the interviewer's
// tools. Every publish hands its SDP offer to a Publisher (the live
// analysis and recording of one call, package live) and serves the answer.
//
// Security defaults: the server binds 127.0.0.1 unless told otherwise;
// beyond loopback it serves HTTPS only (the user's certificate or a
// generated self-signed one), because browsers open the camera only in a
// secure context. Interview tokens are 256 random bits and expire; the
// admin token is written to a 0600 file in the data folder for
// `unmask session new`. Request bodies, live calls and request rates are
// limited per server and per client address.
//
// Sessions live in memory: a restart invalidates outstanding links, which
// is what an expiring interview link should do anyway. Recordings are on
// disk and survive.
//
// Concurrency: Server is safe for concurrent use; Close ends every call
// (each recording is finalised with reason "server_closed").
package server
