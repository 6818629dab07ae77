package mrz

import "errors"

// ErrFormat is returned by Parse when the lines are not the 3×30, 2×36 or
// 2×44 characters of a TD1, TD2 or TD3 machine readable zone, when the
// document code does not start with a letter, or when the zone is a
// machine readable visa (ICAO 9303 part 7), which this package does not
// read. The message names the line and the lengths found.
var ErrFormat = errors.New("mrz: not a TD1, TD2 or TD3 machine readable zone")

// ErrCharset is returned by Parse when a line holds a character outside
// A–Z, 0–9 and the filler '<' (ICAO 9303 part 3). The message names the
// line and the position.
var ErrCharset = errors.New("mrz: character outside A-Z, 0-9 and '<'")

// ErrNotFound is returned by Find when the text holds no group of lines
// with the shape of a machine readable zone. When groups of the right shape
// were present but none could be parsed, the error also wraps the first
// Parse error (ErrFormat or ErrCharset).
var ErrNotFound = errors.New("mrz: no machine readable zone found")
