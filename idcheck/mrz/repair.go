package mrz

import (
	"fmt"
	"strings"
)

// digitFor is the digit a letter in a digits-only position was misread
// from (0 when it has none).
var digitFor = [256]byte{'O': '0', 'D': '0', 'Q': '0', 'I': '1', 'L': '1', 'Z': '2', 'S': '5', 'G': '6', 'B': '8'}

// letterFor is the letter a digit in a letters-only field was misread
// from (0 when it has none).
var letterFor = [256]byte{'0': 'O', '1': 'I', '2': 'Z', '5': 'S', '8': 'B'}

// repair returns lines, which have format f's shape and only MRZ
// characters, with OCR confusions fixed as Find documents, and one
// sentence per fix.
func repair(f Format, lines []string) ([]string, []string) {
	b := make([][]byte, len(lines))
	for i, l := range lines {
		b[i] = []byte(l)
	}
	var fixes []string
	l := newLayout(f, b)

	// Letters-only fields: the class alone decides.
	fixLetters := func(name string, s span, from int) {
		for j := s.start; j < s.end; j++ {
			c := b[s.line][j]
			if to := letterFor[c]; to != 0 {
				b[s.line][j] = to
				fixes = append(fixes, fmt.Sprintf("%s position %d: %c read as %c", name, j-s.start+from, c, to))
			}
		}
	}
	fixLetters("document code", l.docCode, 1)
	fixLetters("issuing state", l.state, 1)
	fixLetters("nationality", l.nationality, 1)
	name := l.name
	if i := strings.Index(string(b[name.line][name.start:name.end]), "<<"); i >= 0 {
		fixLetters("surname", span{name.line, name.start, name.start + i}, 1)
		fixLetters("given names", span{name.line, name.start + i + 2, name.end}, 1)
	} else {
		fixLetters("surname", name, 1)
	}

	// Digits-only positions: all letters of one check's field at once,
	// kept only when the check digit then agrees. The composite comes last
	// in l.checks, so it sees the fields repaired before it.
	for _, c := range l.checks {
		type change struct {
			at       pos
			from, to byte
			index    int // 1-based position in the field; 0 for the check digit
		}
		var changes []change
		readable := true
		consider := func(p pos, index int) {
			ch := b[p.line][p.col]
			if !isLetter(ch) {
				return
			}
			to := digitFor[ch]
			if to == 0 {
				readable = false
				return
			}
			changes = append(changes, change{p, ch, to, index})
		}
		if c.numeric {
			i := 0
			for _, s := range c.spans {
				for j := s.start; j < s.end; j++ {
					i++
					consider(pos{s.line, j}, i)
				}
			}
		}
		consider(c.digit, 0)
		if !readable || len(changes) == 0 {
			continue
		}
		for _, ch := range changes {
			b[ch.at.line][ch.at.col] = ch.to
		}
		if !evaluate(b, c).OK {
			for _, ch := range changes {
				b[ch.at.line][ch.at.col] = ch.from
			}
			continue
		}
		for _, ch := range changes {
			if ch.index == 0 {
				fixes = append(fixes, fmt.Sprintf("%s check digit: %c read as %c", c.name, ch.from, ch.to))
			} else {
				fixes = append(fixes, fmt.Sprintf("%s position %d: %c read as %c", c.name, ch.index, ch.from, ch.to))
			}
		}
	}

	out := make([]string, len(b))
	for i := range b {
		out[i] = string(b[i])
	}
	return out, fixes
}
