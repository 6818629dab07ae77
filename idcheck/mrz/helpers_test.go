package mrz_test

import (
	"strings"
	"testing"
	"time"
)

// now is the time the tests read documents at.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// The specimen zones printed in ICAO Doc 9303 (the fictional Utopian
// holder Anna Maria Eriksson), as reproduced by the doubango MRZ parser
// documentation and the docs.rs "mrz" crate. TestSpecimensAgreeWithReference
// recomputes each of their check digits with refCheck, so a transcription
// error would show there.
var (
	specimenTD1 = []string{
		"I<UTOD231458907<<<<<<<<<<<<<<<",
		"7408122F1204159UTO<<<<<<<<<<<6",
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	}
	specimenTD2 = []string{
		"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
		"D231458907UTO7408122F1204159<<<<<<<6",
	}
	specimenTD3 = []string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}
)

// refCheck is an independent implementation of the ICAO 9303 part 3 check
// digit, written from the specification without looking at CheckDigit: it
// looks values up in the alphabet and keeps the weight in a rotating slice.
func refCheck(tb testing.TB, data string) byte {
	tb.Helper()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	weights := []int{7, 3, 1}
	total := 0
	for _, r := range data {
		value := 0
		if r != '<' {
			value = strings.IndexRune(alphabet, r)
			if value < 0 {
				tb.Fatalf("refCheck: %q is not an MRZ character", r)
			}
		}
		total += value * weights[0]
		weights = append(weights[1:], weights[0])
	}
	return "0123456789"[total%10]
}

// doc is a fictional document; td1, td2 and td3 print its zone with check
// digits from refCheck.
type doc struct {
	code, state, number, nationality string
	birth, sex, expiry               string
	opt1, opt2                       string // opt1 is the TD3 personal number
	surname, given                   string
	// personalFiller prints '<' rather than '0' as the check digit of an
	// empty TD3 personal number.
	personalFiller bool
}

// fill pads s with fillers to n characters.
func fill(tb testing.TB, s string, n int) string {
	tb.Helper()
	if len(s) > n {
		tb.Fatalf("%q is longer than %d", s, n)
	}
	return s + strings.Repeat("<", n-len(s))
}

func (d doc) name(tb testing.TB, n int) string {
	tb.Helper()
	return fill(tb, strings.ReplaceAll(d.surname, " ", "<")+"<<"+strings.ReplaceAll(d.given, " ", "<"), n)
}

// number prints the document number and its check digit into a field of
// nine characters followed by optional data of width opt, using the long
// number rule of parts 5 and 6 when the number is longer than nine.
func (d doc) number9(tb testing.TB, opt string, width int) (field, optional string) {
	tb.Helper()
	if len(d.number) <= 9 {
		n := fill(tb, d.number, 9)
		return n + string(refCheck(tb, n)), fill(tb, opt, width)
	}
	return d.number[:9] + "<", fill(tb, d.number[9:]+string(refCheck(tb, d.number))+"<"+opt, width)
}

func (d doc) td1(tb testing.TB) []string {
	tb.Helper()
	num, opt := d.number9(tb, d.opt1, 15)
	l1 := fill(tb, d.code, 2) + fill(tb, d.state, 3) + num + opt
	l2 := d.birth + string(refCheck(tb, d.birth)) + d.sex + d.expiry + string(refCheck(tb, d.expiry)) +
		fill(tb, d.nationality, 3) + fill(tb, d.opt2, 11)
	l2 += string(refCheck(tb, compositeData(TD1, []string{l1, l2 + "<"})))
	return []string{l1, l2, d.name(tb, 30)}
}

func (d doc) td2(tb testing.TB) []string {
	tb.Helper()
	num, opt := d.number9(tb, d.opt1, 7)
	l1 := fill(tb, d.code, 2) + fill(tb, d.state, 3) + d.name(tb, 31)
	l2 := num + fill(tb, d.nationality, 3) + d.birth + string(refCheck(tb, d.birth)) + d.sex +
		d.expiry + string(refCheck(tb, d.expiry)) + opt
	l2 += string(refCheck(tb, compositeData(TD2, []string{l1, l2 + "<"})))
	return []string{l1, l2}
}

func (d doc) td3(tb testing.TB) []string {
	tb.Helper()
	num, _ := d.number9(tb, "", 0)
	personal := fill(tb, d.opt1, 14)
	personalCheck := string(refCheck(tb, personal))
	if d.personalFiller {
		personalCheck = "<"
	}
	l1 := fill(tb, d.code, 2) + fill(tb, d.state, 3) + d.name(tb, 39)
	l2 := num + fill(tb, d.nationality, 3) + d.birth + string(refCheck(tb, d.birth)) + d.sex +
		d.expiry + string(refCheck(tb, d.expiry)) + personal + personalCheck
	l2 += string(refCheck(tb, compositeData(TD3, []string{l1, l2 + "<"})))
	return []string{l1, l2}
}

// Format names as the package spells them, so the helpers need no import.
const (
	TD1 = "TD1"
	TD2 = "TD2"
	TD3 = "TD3"
)

// compositeData is what the composite check digit covers, transcribed
// from ICAO 9303 parts 4, 5 and 6 (1-based positions in the comments).
func compositeData(format string, lines []string) string {
	switch format {
	case TD1: // upper 6–30, middle 1–7, 9–15, 19–29
		return lines[0][5:30] + lines[1][0:7] + lines[1][8:15] + lines[1][18:29]
	case TD2: // lower 1–10, 14–20, 22–35
		return lines[1][0:10] + lines[1][13:20] + lines[1][21:35]
	default: // TD3: lower 1–10, 14–20, 22–43
		return lines[1][0:10] + lines[1][13:20] + lines[1][21:43]
	}
}

// checkPositions are where each check digit is printed: line, index.
var checkPositions = map[string]map[string][2]int{
	TD1: {"document number": {0, 14}, "birth date": {1, 6}, "expiry date": {1, 14}, "composite": {1, 29}},
	TD2: {"document number": {1, 9}, "birth date": {1, 19}, "expiry date": {1, 27}, "composite": {1, 35}},
	TD3: {"document number": {1, 9}, "birth date": {1, 19}, "expiry date": {1, 27}, "personal number": {1, 42}, "composite": {1, 43}},
}

// withChar returns a copy of lines with line li's character at col
// replaced by c.
func withChar(lines []string, li, col int, c byte) []string {
	out := append([]string(nil), lines...)
	b := []byte(out[li])
	b[col] = c
	out[li] = string(b)
	return out
}

// withText returns a copy of lines with line li's characters from col
// replaced by s.
func withText(lines []string, li, col int, s string) []string {
	out := append([]string(nil), lines...)
	out[li] = out[li][:col] + s + out[li][col+len(s):]
	return out
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
