package mrz

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Find locates a machine readable zone in OCR text and reads it. It
// normalises the text (see Normalize), then tries every run of consecutive
// candidate lines with the shape of a TD1, TD2 or TD3 zone, repairing OCR
// confusions in each (see below), and returns the best reading: one whose
// check digits all agree, else the one with the fewest disagreeing check
// digits; then the one with fewer repairs, then the earlier in the text. A
// reading whose check digits disagree is returned with Valid false and a
// nil error. Find returns ErrNotFound when no run of lines has the shape of
// a zone.
//
// Repairs touch only positions whose character class the format fixes,
// and each is listed in Result.Corrections:
//
//   - Digits-only positions (birth and expiry dates and every check
//     digit): a letter there is always a misreading. O, D and Q become 0,
//     I and L 1, Z 2, S 5, G 6, B 8. The letters of one check digit's
//     field are replaced together, and only when every one has a reading
//     and the check digit then agrees; otherwise the field is left as read.
//     Each letter has a single reading, so two different repairs can never
//     both agree.
//   - Letters-only fields (document code, issuing state, nationality and
//     the name): a digit there is always a misreading, and 0, 1, 2, 5 and 8
//     read as O, I, Z, S and B. No check digit covers these fields, so the
//     repair rests on the character class alone.
//
// Alphanumeric fields (document number, optional data, personal number)
// are never repaired: there a 1 and an I are both valid, a single check
// digit cannot tell which of several confusions happened (in the ICAO
// specimen, D23I45890 is fixed equally by I→1 and by 8→B), and guessing
// would turn a document whose check digits disagree, as a forged one's
// may, into a valid one.
//
// Find costs time linear in len(text) plus a few microseconds per
// candidate run, does not retain text and is safe for concurrent use.
func Find(text string, now time.Time) (Result, error) {
	lines := Normalize(text)
	var (
		best     Result
		found    bool
		shaped   bool
		firstErr error
	)
	for i := range lines {
		for _, f := range formats {
			n, length := f.shape()
			if i+n > len(lines) || !allLength(lines[i:i+n], length) {
				continue
			}
			shaped = true
			r, err := read(f, lines[i:i+n], now)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if !found || better(r, best) {
				best, found = r, true
			}
			if best.Valid && len(best.Corrections) == 0 {
				return best, nil
			}
		}
	}
	switch {
	case found:
		return best, nil
	case shaped:
		return Result{}, fmt.Errorf("%w: %w", ErrNotFound, firstErr)
	default:
		return Result{}, ErrNotFound
	}
}

func allLength(lines []string, length int) bool {
	for _, l := range lines {
		if utf8.RuneCountInString(l) != length {
			return false
		}
	}
	return true
}

// better reports whether a is a better reading than b. Readings are
// ranked by failing checks rather than passing ones, so that a TD3 zone,
// which has five check digits, does not outrank a TD1 or TD2 zone, which
// has four, for that alone.
func better(a, b Result) bool {
	if a.Valid != b.Valid {
		return a.Valid
	}
	if fa, fb := failCount(a), failCount(b); fa != fb {
		return fa < fb
	}
	return len(a.Corrections) < len(b.Corrections)
}

func failCount(r Result) int {
	n := 0
	for _, c := range r.Checks {
		if !c.OK {
			n++
		}
	}
	return n
}

// read repairs and parses one run of lines of format f's shape.
func read(f Format, lines []string, now time.Time) (Result, error) {
	for i, line := range lines { // repairs need the character set
		for j := 0; j < len(line); j++ {
			if !isMRZChar(line[j]) {
				r, _ := utf8.DecodeRuneInString(line[j:])
				return Result{}, fmt.Errorf("%w: line %d position %d is %q", ErrCharset, i+1, j+1, r)
			}
		}
	}
	fixed, corrections := repair(f, lines)
	if _, err := shapeOf(fixed); err != nil {
		return Result{}, err
	}
	r := parse(f, fixed, now)
	r.Corrections = corrections
	return r, nil
}
