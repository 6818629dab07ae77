package analysis

import "errors"

// ErrBadFrame is returned when a frame is empty, of the wrong type, or of a
// size no stage can work on. OpenCV aborts the process on assertion
// failures, so every stage checks frames with Frame.Validate before use.
var ErrBadFrame = errors.New("bad frame")
