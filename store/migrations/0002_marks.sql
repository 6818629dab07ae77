-- Moments the user marked during a session, removed with their session.
-- AUTOINCREMENT so an id is never reused: a stale id held by the window
-- can never point at another session's mark.
CREATE TABLE marks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at_ms      INTEGER NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    evidence   TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX marks_by_session ON marks (session_id, at_ms, id);
