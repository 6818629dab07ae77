package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Migrations are numbered files, migrations/NNNN_what.sql, applied in
// order; the number of the last one applied is PRAGMA user_version. A
// released migration is never edited: a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

var migrations = sync.OnceValues(func() ([]migration, error) {
	return parseMigrations(migrationFiles, "migrations")
})

// parseMigrations reads dir and checks the versions run 1, 2, 3... with no
// gap or repeat, so a misnamed file fails every Open instead of being
// skipped.
func parseMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if e.IsDir() || !ok || len(num) != 4 || err != nil || !strings.HasSuffix(rest, ".sql") {
			return nil, fmt.Errorf("store: migration %q: want a name like 0001_what.sql", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("store: migration %s: want version %d", m.name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("store: no migrations in %s", dir)
	}
	return ms, nil
}

// migrate applies the migrations after the file's version, up to version
// (0: all). abs names the file in errors.
func migrate(ctx context.Context, conn *sql.Conn, abs string, version int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if version <= 0 || version > len(ms) {
		version = len(ms)
	}
	for {
		done, err := step(ctx, conn, abs, ms, version)
		if err != nil || done {
			return err
		}
	}
}

// step applies the next migration in one transaction. The version is read
// inside it (BEGIN IMMEDIATE holds the write lock), so two windows opening
// the same file cannot both apply a migration.
func step(ctx context.Context, conn *sql.Conn, abs string, ms []migration, version int) (done bool, err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return false, err
	}
	if have > len(ms) {
		return false, fmt.Errorf("%w: %s has schema version %d, this build knows up to %d",
			ErrNewerSchema, abs, have, len(ms))
	}
	if have >= version {
		return true, nil
	}
	m := ms[have]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	// PRAGMA takes no parameters; m.version is an int from our own files.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: %w", m.name, err)
	}
	return false, nil
}
