package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

const (
	// appID is "UNMK", written to PRAGMA application_id by the first
	// migration so that Open can tell its own files from other programs'.
	appID = 0x554e4d4b

	// busyTimeoutMS bounds the wait for another process (a second window,
	// the CLI) holding the write lock.
	busyTimeoutMS = 5000

	// maxReaders is small: a desktop app has a few views reading at once.
	maxReaders = 4
)

// DB is the app's database. It is safe for concurrent use.
type DB struct {
	w *sql.DB // one connection: SQLite has one writer at a time anyway
	r *sql.DB // read-only connections, concurrent with the writer under WAL

	closeOnce sync.Once
	closeErr  error
}

// Open opens the database at path, creating it and its folder if needed,
// and upgrades its schema to the one this build knows. It returns
// ErrNotDatabase for a file that is not an Unmask database and
// ErrNewerSchema for one written by a newer version; neither file is
// changed.
func Open(path string) (*DB, error) {
	return open(path, 0)
}

// open is Open with the schema upgraded only up to version (0: all).
func open(path string, version int) (*DB, error) {
	ctx := context.Background()
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("store: create folder for %s: %w", abs, err)
	}
	// Created here rather than by SQLite so the mode is 0600 whatever the
	// umask; SQLite gives the -wal and -shm files the same mode.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err) // names the file already
	}
	f.Close()

	w, err := sql.Open("sqlite", dsn(abs, url.Values{
		"_pragma": {fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS), "foreign_keys(1)"},
		// IMMEDIATE takes the write lock at BEGIN, so a transaction never
		// fails half way when it reads and then writes.
		"_txlock": {"immediate"},
	}))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	w.SetMaxOpenConns(1)
	if err := prepare(ctx, w, abs, version); err != nil {
		w.Close()
		return nil, openError(abs, err)
	}

	r, err := sql.Open("sqlite", dsn(abs, url.Values{
		"_pragma": {fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS), "query_only(1)"},
	}))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	r.SetMaxOpenConns(maxReaders)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, openError(abs, err)
	}
	return &DB{w: w, r: r}, nil
}

// dsn is a file: URI, so that '?', '#' and '%' in a folder name are taken
// as part of the path rather than as URI syntax.
func dsn(abs string, params url.Values) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/Users/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: params.Encode()}
	return u.String()
}

// prepare checks that the file is ours, turns on WAL, and migrates. It
// checks first because journal_mode=WAL rewrites the file header.
func prepare(ctx context.Context, w *sql.DB, abs string, version int) error {
	conn, err := w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := checkOwner(ctx, conn, abs); err != nil {
		return err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	return migrate(ctx, conn, abs, version)
}

// checkOwner accepts a file marked with appID, or an empty one to set up.
func checkOwner(ctx context.Context, conn *sql.Conn, abs string) error {
	var id, version, objects int
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return err
	}
	if id == appID {
		return nil
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return err
	}
	if id == 0 && version == 0 && objects == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s is another program's SQLite database (application id %#x, %d schema objects)",
		ErrNotDatabase, abs, id, objects)
}

// openError names the file and turns SQLite's "not a database" into
// ErrNotDatabase, which the window can explain to the user.
func openError(abs string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB {
		return fmt.Errorf("%w: %s is not a SQLite file (%w)", ErrNotDatabase, abs, err)
	}
	if errors.Is(err, ErrNotDatabase) || errors.Is(err, ErrNewerSchema) {
		return err // already names the file
	}
	return fmt.Errorf("store: open %s: %w", abs, err)
}

// Close closes the database. Close is idempotent; calls made after it
// fail.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.closeErr = errors.Join(db.r.Close(), db.w.Close())
	})
	return db.closeErr
}
