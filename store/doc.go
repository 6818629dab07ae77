// Package store is the desktop app's embedded database: past sessions
// (live interviews, analysed files, camera runs), the moments the user
// marked in them, and the app's settings. It is one SQLite file, written
// by a pure Go engine, so the app needs no system library.
//
// The file is created 0600 in a 0700 folder because it holds candidate
// links and paths to recordings. It runs in WAL mode: the list can be read
// while a live session is being written. Its schema is versioned in
// PRAGMA user_version and upgraded by the embedded migrations, each in its
// own transaction; a file written by a newer build is refused with
// ErrNewerSchema rather than guessed at, and a file that is not Unmask's
// database with ErrNotDatabase, without being changed.
//
// Times are stored as unix milliseconds in UTC and read back in UTC:
// anything finer than a millisecond is dropped.
//
// A DB is safe for concurrent use. Writes go through one connection, so
// they queue in Go instead of spinning on SQLite's lock; reads use a small
// pool of their own and run alongside a write.
package store
