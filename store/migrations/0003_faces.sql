-- The gallery of faces seen: a face descriptor per candidate per session,
-- so a reviewer sees when a face returns under another name. Descriptors
-- are biometric data: they go with their session (retention deletes them
-- together) and are never exported.
CREATE TABLE faces (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL DEFAULT '',   -- the name the candidate gave or the document reads
    source     TEXT    NOT NULL,              -- 'live' or 'document'
    seen_at    INTEGER NOT NULL,
    descriptor BLOB    NOT NULL CHECK (length(descriptor) = 512)  -- 128 little-endian float32
) STRICT;

CREATE INDEX faces_by_session ON faces (session_id, id);
