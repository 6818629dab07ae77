// Package evidence writes files that must survive a crash and must never
// be silently overwritten: each file is written to a temporary name in its
// final directory, fsynced, then linked to its final name (link fails if
// the name exists, so nothing is ever clobbered), and the directory is
// fsynced. Every committed file's SHA-256 is recorded for the manifest.
//
// A Dir is safe for concurrent use; a File is not.
package evidence
