package idsynth

import (
	"fmt"
	"strings"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

// Holder is the fictional person and document a synthetic document is
// printed for. Dates are YYMMDD; names use A-Z and spaces.
type Holder struct {
	Surname, GivenNames string
	Number              string // up to 9 characters, A-Z and 0-9
	State, Nationality  string // three-letter codes, e.g. "UTO"
	Birth, Expiry       string // YYMMDD
	Sex                 string // "M", "F" or "<"
}

// Specimen is the ICAO 9303 specimen holder (the fictional Utopian Anna
// Maria Eriksson), a starting point for tests.
var Specimen = Holder{
	Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Number: "D23145890",
	State: "UTO", Nationality: "UTO", Birth: "740812", Expiry: "340415", Sex: "F",
}

// TD1 prints h as the three 30-character lines of an ID card (ICAO 9303
// part 5), with every check digit computed.
func TD1(h Holder) ([]string, error) {
	if err := h.check(); err != nil {
		return nil, err
	}
	num := pad(h.Number, 9)
	l1 := "I<" + pad(h.State, 3) + num + string(mrz.CheckDigit(num)) + pad("", 15)
	l2 := h.Birth + string(mrz.CheckDigit(h.Birth)) + sex(h) + h.Expiry + string(mrz.CheckDigit(h.Expiry)) +
		pad(h.Nationality, 3) + pad("", 11)
	// Composite: upper line 6-30, middle line 1-7, 9-15 and 19-29 (1-based).
	composite := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
	l2 += string(mrz.CheckDigit(composite))
	return []string{l1, l2, name(h, 30)}, nil
}

// TD3 prints h as the two 44-character lines of a passport (ICAO 9303
// part 4), with every check digit computed and no personal number.
func TD3(h Holder) ([]string, error) {
	if err := h.check(); err != nil {
		return nil, err
	}
	num := pad(h.Number, 9)
	personal := pad("", 14)
	l1 := "P<" + pad(h.State, 3) + name(h, 39)
	l2 := num + string(mrz.CheckDigit(num)) + pad(h.Nationality, 3) + h.Birth + string(mrz.CheckDigit(h.Birth)) +
		sex(h) + h.Expiry + string(mrz.CheckDigit(h.Expiry)) + personal + string(mrz.CheckDigit(personal))
	// Composite: lower line 1-10, 14-20 and 22-43 (1-based).
	composite := l2[0:10] + l2[13:20] + l2[21:43]
	l2 += string(mrz.CheckDigit(composite))
	return []string{l1, l2}, nil
}

// Tamper returns a copy of lines whose document number has one digit
// changed while its check digit is left as printed: the edit of a forger
// who did not recompute it. The document-number check then fails, and so
// does the composite.
func Tamper(lines []string) []string {
	out := append([]string(nil), lines...)
	li, col := 0, 5 // TD1: the number starts at line 1, position 6
	if len(lines) == 2 {
		li, col = 1, 0 // TD3: line 2, position 1
	}
	b := []byte(out[li])
	for i := col; i < col+9; i++ {
		if b[i] >= '0' && b[i] <= '9' {
			b[i] = '0' + (b[i]-'0'+5)%10
			break
		}
	}
	out[li] = string(b)
	return out
}

func (h Holder) check() error {
	for _, f := range []struct{ name, v string }{
		{"surname", h.Surname}, {"given names", h.GivenNames}, {"number", h.Number},
		{"state", h.State}, {"nationality", h.Nationality},
	} {
		if f.v == "" || strings.Trim(f.v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ") != "" {
			return fmt.Errorf("idsynth: holder %s %q: want A-Z, 0-9 and spaces", f.name, f.v)
		}
	}
	if len(h.Number) > 9 || len(h.State) > 3 || len(h.Nationality) > 3 {
		return fmt.Errorf("idsynth: holder number, state or nationality too long")
	}
	for _, d := range []string{h.Birth, h.Expiry} {
		if len(d) != 6 || strings.Trim(d, "0123456789") != "" {
			return fmt.Errorf("idsynth: holder date %q: want YYMMDD", d)
		}
	}
	return nil
}

func sex(h Holder) string {
	if h.Sex == "M" || h.Sex == "F" {
		return h.Sex
	}
	return "<"
}

// name prints the primary and secondary identifiers, truncated to n.
func name(h Holder, n int) string {
	s := strings.ReplaceAll(h.Surname, " ", "<") + "<<" + strings.ReplaceAll(h.GivenNames, " ", "<")
	if len(s) > n {
		s = s[:n]
	}
	return pad(s, n)
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}
