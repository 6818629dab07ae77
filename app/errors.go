package app

import "errors"

// ErrNoModels means the model registry lists no models, which only a
// broken build can cause.
var ErrNoModels = errors.New("app: the model registry lists no models")

// errNotStarted is returned by a service called before the window started.
var errNotStarted = errors.New("the app is still starting; try again")
