package evidence

import "errors"

// ErrExists is returned when a file would overwrite an existing one.
var ErrExists = errors.New("evidence: file exists; refusing to overwrite")
