package mrz

// Format is the size of a machine readable zone, named as in ICAO 9303.
type Format string

// The three formats Parse reads.
const (
	// TD1 is the three lines of 30 characters of an ID card (ICAO 9303 part 5).
	TD1 Format = "TD1"
	// TD2 is the two lines of 36 characters of a TD2 size official travel
	// document (ICAO 9303 part 6).
	TD2 Format = "TD2"
	// TD3 is the two lines of 44 characters of a passport (ICAO 9303 part 4).
	TD3 Format = "TD3"
)

// formats lists the formats in the order Find tries them.
var formats = [...]Format{TD1, TD2, TD3}

// shape returns the number of lines and the line length of f.
func (f Format) shape() (lines, length int) {
	switch f {
	case TD1:
		return 3, 30
	case TD2:
		return 2, 36
	case TD3:
		return 2, 44
	}
	return 0, 0
}

// span is the characters start..end-1 (0-based, half-open) of one line.
type span struct{ line, start, end int }

// pos is one character of one line (0-based).
type pos struct{ line, col int }

// checkSpec is one check digit: the characters it covers and where it is
// printed.
type checkSpec struct {
	name  string
	spans []span
	digit pos
	// fillerOK accepts '<' as the printed digit when every covered
	// character is '<' (the TD3 personal number, ICAO 9303 part 4).
	fillerOK bool
	// numeric marks data that may hold only digits (and '<' for an
	// unknown part of a date), so a letter there is an OCR confusion.
	numeric bool
}

// layout is where each field of one zone sits. It depends on the lines
// only through the long document number rule of TD1 and TD2.
type layout struct {
	format                                 Format
	docCode, state, name, nationality, sex span
	docNum                                 []span
	birth, expiry                          span
	opt1, opt2                             span // empty span when absent
	checks                                 []checkSpec
}

// Check names, in Result.Checks order.
const (
	checkDocNum    = "document number"
	checkBirth     = "birth date"
	checkExpiry    = "expiry date"
	checkPersonal  = "personal number"
	checkComposite = "composite"
)

// text is what a layout reads: the lines as strings or as bytes.
type text interface{ ~string | ~[]byte }

// newLayout returns the layout of lines, which must already have the shape
// of f. Positions are those of ICAO 9303 parts 4, 5 and 6, written there
// 1-based and here 0-based.
func newLayout[T text](f Format, lines []T) layout {
	switch f {
	case TD1:
		// Part 5. Upper line: 1–2 document code, 3–5 issuing state,
		// 6–14 document number, 15 its check digit, 16–30 optional data.
		// Middle line: 1–6 birth date, 7 check, 8 sex, 9–14 expiry date,
		// 15 check, 16–18 nationality, 19–29 optional data, 30 composite
		// over upper 6–30 and middle 1–7, 9–15, 19–29. Lower line: name.
		l := layout{
			format: TD1, docCode: span{0, 0, 2}, state: span{0, 2, 5},
			birth: span{1, 0, 6}, sex: span{1, 7, 8}, expiry: span{1, 8, 14},
			nationality: span{1, 15, 18}, opt2: span{1, 18, 29}, name: span{2, 0, 30},
		}
		var docCheck pos
		l.docNum, docCheck, l.opt1 = longDocNum(lines[0], span{0, 5, 14}, span{0, 15, 30})
		l.checks = []checkSpec{
			{name: checkDocNum, spans: l.docNum, digit: docCheck},
			{name: checkBirth, spans: []span{l.birth}, digit: pos{1, 6}, numeric: true},
			{name: checkExpiry, spans: []span{l.expiry}, digit: pos{1, 14}, numeric: true},
			{name: checkComposite, spans: []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}}, digit: pos{1, 29}},
		}
		return l
	case TD2:
		// Part 6. Upper line: 1–2 document code, 3–5 issuing state, 6–36
		// name. Lower line: 1–9 document number, 10 check, 11–13
		// nationality, 14–19 birth date, 20 check, 21 sex, 22–27 expiry
		// date, 28 check, 29–35 optional data, 36 composite over 1–10,
		// 14–20, 22–35.
		l := layout{
			format: TD2, docCode: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 36},
			nationality: span{1, 10, 13}, birth: span{1, 13, 19}, sex: span{1, 20, 21},
			expiry: span{1, 21, 27},
		}
		var docCheck pos
		l.docNum, docCheck, l.opt1 = longDocNum(lines[1], span{1, 0, 9}, span{1, 28, 35})
		l.checks = []checkSpec{
			{name: checkDocNum, spans: l.docNum, digit: docCheck},
			{name: checkBirth, spans: []span{l.birth}, digit: pos{1, 19}, numeric: true},
			{name: checkExpiry, spans: []span{l.expiry}, digit: pos{1, 27}, numeric: true},
			{name: checkComposite, spans: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}}, digit: pos{1, 35}},
		}
		return l
	default: // TD3
		// Part 4. Upper line: 1–2 document code, 3–5 issuing state, 6–44
		// name. Lower line: 1–9 passport number, 10 check, 11–13
		// nationality, 14–19 birth date, 20 check, 21 sex, 22–27 expiry
		// date, 28 check, 29–42 personal number, 43 check ('<' allowed
		// when the personal number is all fillers), 44 composite over
		// 1–10, 14–20, 22–43.
		l := layout{
			format: TD3, docCode: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 44},
			docNum: []span{{1, 0, 9}}, nationality: span{1, 10, 13}, birth: span{1, 13, 19},
			sex: span{1, 20, 21}, expiry: span{1, 21, 27}, opt1: span{1, 28, 42},
		}
		l.checks = []checkSpec{
			{name: checkDocNum, spans: l.docNum, digit: pos{1, 9}},
			{name: checkBirth, spans: []span{l.birth}, digit: pos{1, 19}, numeric: true},
			{name: checkExpiry, spans: []span{l.expiry}, digit: pos{1, 27}, numeric: true},
			{name: checkPersonal, spans: []span{l.opt1}, digit: pos{1, 42}, fillerOK: true},
			{name: checkComposite, spans: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}}, digit: pos{1, 43}},
		}
		return l
	}
}

// longDocNum applies the TD1 and TD2 rule for document numbers longer than
// nine characters (ICAO 9303 parts 5 and 6): the first nine fill the
// number field, a filler takes the place of its check digit, and the rest
// of the number opens the optional data field, followed by the check digit
// and a filler. It returns the spans of the number, where its check digit is and
// what is left of the optional data.
func longDocNum[T text](line T, num, opt span) ([]span, pos, span) {
	if line[num.end] != '<' || line[opt.start] == '<' {
		return []span{num}, pos{num.line, num.end}, opt
	}
	end := opt.end // the extension runs to the first filler
	for i := opt.start; i < opt.end; i++ {
		if line[i] == '<' {
			end = i
			break
		}
	}
	check := end - 1
	rest := span{opt.line, opt.end, opt.end}
	if end < opt.end { // the filler after the check digit ends the number
		rest.start = end + 1
	}
	return []span{num, {opt.line, opt.start, check}}, pos{opt.line, check}, rest
}

// computeCheck returns the check digit of the characters c covers.
func computeCheck[T text](lines []T, c checkSpec) byte {
	sum, i := 0, 0
	for _, s := range c.spans {
		for j := s.start; j < s.end; j++ {
			sum += checkWeights[i%3] * charValue(lines[s.line][j])
			i++
		}
	}
	return byte('0' + sum%10)
}

// evaluate returns the check c as printed in lines.
func evaluate[T text](lines []T, c checkSpec) Check {
	printed := lines[c.digit.line][c.digit.col]
	computed := computeCheck(lines, c)
	ok := printed == computed
	if !ok && c.fillerOK && printed == '<' {
		ok = allFiller(lines, c.spans)
	}
	return Check{Name: c.name, Printed: printed, Computed: computed, OK: ok}
}

func allFiller[T text](lines []T, spans []span) bool {
	for _, s := range spans {
		for j := s.start; j < s.end; j++ {
			if lines[s.line][j] != '<' {
				return false
			}
		}
	}
	return true
}
