package devices

import "errors"

// ErrTooLarge is returned by ParseFacts when a report exceeds a limit: the
// body is over MaxBodySize, a device list has more than MaxDevices
// entries, or a string is longer than its limit (MaxLabelRunes,
// MaxUserAgentRunes). Real browsers stay far below every limit, so a
// report that trips one was made by hand; the caller should say so.
var ErrTooLarge = errors.New("devices: report too large")

// ErrInvalid is returned by ParseFacts for a report that is not a JSON
// object of the documented shape: malformed JSON, a field of the wrong
// type, or a number that is negative, fractional where a whole number is
// required, or outside what any camera or microphone reports. The message
// names the field.
var ErrInvalid = errors.New("devices: invalid report")
