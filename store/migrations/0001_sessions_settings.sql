-- Sessions and settings. Times are unix milliseconds, UTC.
-- Allowed kinds and levels are checked in Go, not with CHECK constraints:
-- SQLite cannot alter a CHECK, so a new kind would need a table rebuild.

-- Marks the file as Unmask's, so Open refuses other programs' databases.
PRAGMA application_id = 1431194955;

CREATE TABLE sessions (
    id           TEXT    NOT NULL PRIMARY KEY,
    kind         TEXT    NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    source       TEXT    NOT NULL DEFAULT '',
    folder       TEXT    NOT NULL DEFAULT '',
    started_at   INTEGER NOT NULL,
    ended_at     INTEGER,              -- NULL while the session runs
    risk         REAL    NOT NULL DEFAULT 0,
    level        TEXT    NOT NULL DEFAULT '',
    frames       INTEGER NOT NULL DEFAULT 0,
    dropped      INTEGER NOT NULL DEFAULT 0,
    report_path  TEXT    NOT NULL DEFAULT '',
    input_sha256 TEXT    NOT NULL DEFAULT ''
) STRICT;

-- The history list: newest first.
CREATE INDEX sessions_by_start ON sessions (started_at DESC, id);
-- Retention: only finished sessions expire.
CREATE INDEX sessions_by_end ON sessions (ended_at) WHERE ended_at IS NOT NULL;

-- One row per setting; value is JSON so a field added later needs no migration.
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
