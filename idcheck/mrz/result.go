package mrz

import (
	"strings"
	"time"
)

// Result is what one machine readable zone says and whether its check
// digits agree. Values are as printed with trailing fillers removed; Raw
// forms are in Lines and Fields.
type Result struct {
	Format Format

	DocumentCode   string // "P", "I", "ID", "AC"...
	IssuingState   string // ICAO 9303 part 3 three-letter code, fillers removed ("D" for Germany)
	Surname        string // primary identifier, '<' between words read as a space
	GivenNames     string // secondary identifier, likewise
	DocumentNumber string // including the extension of a long TD1 or TD2 number
	Nationality    string

	// BirthDate and ExpiryDate are YYMMDD as printed. Birth and Expiry are
	// the same dates at midnight UTC with the century resolved against the
	// time given to Parse or Find: a birth date is never in the future,
	// an expiry date is at most 20 years ahead. They are zero when the
	// printed date is not a calendar date (for instance "7408<<", an
	// unknown day, which ICAO 9303 part 3 allows for birth dates).
	BirthDate, ExpiryDate string
	Birth, Expiry         time.Time

	Sex string // "M", "F" or "X"; the filler '<' (unspecified) reads as "X"

	// OptionalData1 is the TD1 upper-line optional data, the TD2 optional
	// data, or the TD3 personal number. OptionalData2 is the TD1
	// middle-line optional data and empty for TD2 and TD3.
	OptionalData1, OptionalData2 string

	// Checks holds every check digit in the order document number, birth
	// date, expiry date, personal number (TD3 only), composite.
	Checks []Check

	// Valid reports that every check digit, the composite included,
	// agrees with the characters it covers.
	Valid bool

	// Corrections lists the OCR confusions Find repaired, for example
	// "birth date position 3: O read as 0". Parse never repairs.
	Corrections []string

	// Lines are the lines the fields were read from, after any repair.
	Lines []string
}

// Check is one check digit: the character printed in the zone and the
// digit computed from the characters it covers.
type Check struct {
	Name     string
	Printed  byte
	Computed byte
	OK       bool
}

// Field is one element of a zone for display: Value is the reading
// (dates as 2006-01-02 when they are calendar dates), Raw the characters
// as printed, and CheckOK the outcome of the check digit covering it, nil
// for elements no check digit of their own covers.
type Field struct {
	Name    string
	Value   string
	Raw     string
	CheckOK *bool
}

// Fields returns r's elements in the order a reviewer reads a document:
// document code, issuing state, surname, given names, document number,
// nationality, birth date, sex, expiry date, optional data, composite
// check digit. It returns nil for a Result that did not come from Parse or
// Find. Fields allocates a new slice on each call.
func (r Result) Fields() []Field {
	n, length := r.Format.shape()
	if n == 0 || len(r.Lines) != n {
		return nil
	}
	for _, line := range r.Lines {
		if len(line) != length {
			return nil
		}
	}
	l := newLayout(r.Format, r.Lines)
	raw := func(s span) string { return r.Lines[s.line][s.start:s.end] }
	check := func(name string) *bool {
		for _, c := range r.Checks {
			if c.Name == name {
				ok := c.OK
				return &ok
			}
		}
		return nil
	}
	var docRaw strings.Builder
	for _, s := range l.docNum {
		docRaw.WriteString(raw(s))
	}
	nameRaw := raw(l.name)
	surnameRaw, givenRaw := nameRaw, ""
	if i := strings.Index(nameRaw, "<<"); i >= 0 {
		surnameRaw, givenRaw = nameRaw[:i], nameRaw[i+2:]
	}
	fields := []Field{
		{Name: "Document code", Value: r.DocumentCode, Raw: raw(l.docCode)},
		{Name: "Issuing state", Value: r.IssuingState, Raw: raw(l.state)},
		{Name: "Surname", Value: r.Surname, Raw: surnameRaw},
		{Name: "Given names", Value: r.GivenNames, Raw: givenRaw},
		{Name: "Document number", Value: r.DocumentNumber, Raw: docRaw.String(), CheckOK: check(checkDocNum)},
		{Name: "Nationality", Value: r.Nationality, Raw: raw(l.nationality)},
		{Name: "Birth date", Value: dateValue(r.Birth, r.BirthDate), Raw: r.BirthDate, CheckOK: check(checkBirth)},
		{Name: "Sex", Value: r.Sex, Raw: raw(l.sex)},
		{Name: "Expiry date", Value: dateValue(r.Expiry, r.ExpiryDate), Raw: r.ExpiryDate, CheckOK: check(checkExpiry)},
	}
	switch r.Format {
	case TD1:
		fields = append(fields,
			Field{Name: "Optional data 1", Value: r.OptionalData1, Raw: raw(l.opt1)},
			Field{Name: "Optional data 2", Value: r.OptionalData2, Raw: raw(l.opt2)})
	case TD2:
		fields = append(fields, Field{Name: "Optional data", Value: r.OptionalData1, Raw: raw(l.opt1)})
	case TD3:
		fields = append(fields, Field{Name: "Personal number", Value: r.OptionalData1, Raw: raw(l.opt1), CheckOK: check(checkPersonal)})
	}
	composite := l.checks[len(l.checks)-1].digit
	c := string(r.Lines[composite.line][composite.col])
	return append(fields, Field{Name: "Composite check digit", Value: c, Raw: c, CheckOK: check(checkComposite)})
}

func dateValue(t time.Time, printed string) string {
	if t.IsZero() {
		return printed
	}
	return t.Format(time.DateOnly)
}
