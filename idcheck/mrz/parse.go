package mrz

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Parse reads one machine readable zone from lines that are exactly the
// zone: three lines of 30 characters (TD1), or two of 36 (TD2) or 44
// (TD3), in A–Z, 0–9 and '<' (Normalize produces such lines from OCR
// text). It returns ErrFormat for any other shape and ErrCharset for any
// other character. Check digits that disagree are not an error: they are
// reported in Result.Checks and Result.Valid. now resolves the century of
// two-digit years. Parse does not repair OCR confusions (Find does), does
// not retain lines, and is safe for concurrent use.
func Parse(lines []string, now time.Time) (Result, error) {
	f, err := shapeOf(lines)
	if err != nil {
		return Result{}, err
	}
	return parse(f, lines, now), nil
}

// shapeOf returns the format of lines, or why they are not a zone.
func shapeOf(lines []string) (Format, error) {
	var f Format
	switch {
	case len(lines) == 3:
		f = TD1
	case len(lines) == 2 && utf8.RuneCountInString(lines[0]) == 36:
		f = TD2
	case len(lines) == 2:
		f = TD3
	default:
		return "", fmt.Errorf("%w: %d lines, want 2 or 3", ErrFormat, len(lines))
	}
	_, length := f.shape()
	for i, line := range lines {
		if n := utf8.RuneCountInString(line); n != length {
			return "", fmt.Errorf("%w: %s line %d has %d characters, want %d", ErrFormat, f, i+1, n, length)
		}
	}
	for i, line := range lines {
		for j := 0; j < len(line); j++ {
			if !isMRZChar(line[j]) {
				r, _ := utf8.DecodeRuneInString(line[j:])
				return "", fmt.Errorf("%w: line %d position %d is %q", ErrCharset, i+1, utf8.RuneCountInString(line[:j])+1, r)
			}
		}
	}
	// ICAO 9303 part 3: the document code starts with a letter; visas
	// (part 7) start with V and have other check digits.
	switch c := lines[0][0]; {
	case !isLetter(c):
		return "", fmt.Errorf("%w: document code starts with %q, not a letter", ErrFormat, c)
	case c == 'V':
		return "", fmt.Errorf("%w: document code V is a machine readable visa", ErrFormat)
	}
	return f, nil
}

// parse reads lines, which shapeOf has accepted as format f.
func parse(f Format, lines []string, now time.Time) Result {
	l := newLayout(f, lines)
	raw := func(s span) string { return lines[s.line][s.start:s.end] }
	var num strings.Builder
	for _, s := range l.docNum {
		num.WriteString(raw(s))
	}
	r := Result{
		Format:         f,
		DocumentCode:   trimFiller(raw(l.docCode)),
		IssuingState:   trimFiller(raw(l.state)),
		DocumentNumber: trimFiller(num.String()),
		Nationality:    trimFiller(raw(l.nationality)),
		BirthDate:      raw(l.birth),
		ExpiryDate:     raw(l.expiry),
		Sex:            sex(lines[l.sex.line][l.sex.start]),
		OptionalData1:  trimFiller(raw(l.opt1)),
		OptionalData2:  trimFiller(raw(l.opt2)),
		Lines:          append([]string(nil), lines...),
		Valid:          true,
	}
	r.Surname, r.GivenNames = splitName(raw(l.name))
	r.Birth = birthDate(r.BirthDate, now)
	r.Expiry = expiryDate(r.ExpiryDate, now)
	r.Checks = make([]Check, len(l.checks))
	for i, c := range l.checks {
		r.Checks[i] = evaluate(lines, c)
		r.Valid = r.Valid && r.Checks[i].OK
	}
	return r
}

func trimFiller(s string) string { return strings.TrimRight(s, "<") }

func sex(c byte) string {
	if c == '<' {
		return "X"
	}
	return string(c)
}

// splitName splits a name field at the first "<<" into the primary and
// secondary identifiers (ICAO 9303 part 3), reading each remaining '<' as a
// space and dropping trailing fillers.
func splitName(field string) (primary, secondary string) {
	if i := strings.Index(field, "<<"); i >= 0 {
		field, secondary = field[:i], field[i+2:]
	}
	return words(field), words(secondary)
}

func words(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}

// birthDate resolves YYMMDD to the latest date that is not after now.
func birthDate(yymmdd string, now time.Time) time.Time {
	yy, mm, dd, ok := digits(yymmdd)
	if !ok {
		return time.Time{}
	}
	y := now.Year() - now.Year()%100 + yy
	if key(y, mm, dd) > key(now.Year(), int(now.Month()), now.Day()) {
		y -= 100
	}
	return calendarDate(y, mm, dd)
}

// expiryDate resolves YYMMDD to a date from 80 years before now to 20
// years after it: documents are issued for at most ten years, so twenty
// leaves room for an unusual issuer while keeping long-expired documents
// in the past.
func expiryDate(yymmdd string, now time.Time) time.Time {
	yy, mm, dd, ok := digits(yymmdd)
	if !ok {
		return time.Time{}
	}
	y := now.Year() - now.Year()%100 + yy
	switch k := key(y, mm, dd); {
	case k > key(now.Year()+20, int(now.Month()), now.Day()):
		y -= 100
	case k < key(now.Year()-80, int(now.Month()), now.Day()):
		y += 100
	}
	return calendarDate(y, mm, dd)
}

// key orders dates without requiring them to exist.
func key(y, m, d int) int { return y*10000 + m*100 + d }

// digits reads YYMMDD as three numbers.
func digits(yymmdd string) (yy, mm, dd int, ok bool) {
	if len(yymmdd) != 6 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i := range v {
		hi, lo := yymmdd[2*i], yymmdd[2*i+1]
		if !isDigit(hi) || !isDigit(lo) {
			return 0, 0, 0, false
		}
		v[i] = int(hi-'0')*10 + int(lo-'0')
	}
	return v[0], v[1], v[2], true
}

// calendarDate returns y-m-d at midnight UTC, or the zero time when that
// is not a calendar date (31 April, 29 February 1900...).
func calendarDate(y, m, d int) time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}
	}
	return t
}
