package app

import "errors"

// ErrNoModels means the model registry lists no models, which only a
// broken build can cause.
var ErrNoModels = errors.New("app: the model registry lists no models")
