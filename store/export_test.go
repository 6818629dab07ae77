package store

import "context"

// OpenAtVersion opens path with the schema upgraded only up to version, to
// build the old databases that upgrade tests start from.
func OpenAtVersion(path string, version int) (*DB, error) { return open(path, version) }

// SchemaVersion reads the file's PRAGMA user_version.
func SchemaVersion(db *DB) (int, error) {
	var v int
	err := db.r.QueryRowContext(context.Background(), "PRAGMA user_version").Scan(&v)
	return v, err
}

// LatestVersion is the number of migrations this build has.
func LatestVersion() (int, error) {
	ms, err := migrations()
	return len(ms), err
}
