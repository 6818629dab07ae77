package mrz

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineSlack is how many characters a candidate line may be short or long:
// OCR drops or adds a filler or two at the end of a run of '<' far more
// often than anywhere else.
const lineSlack = 2

// maxLineLen is the longest candidate line (TD3 plus the slack).
const maxLineLen = 44 + lineSlack

// guillemet is '«', which OCR engines read for '<' and for "<<".
const guillemet = '«'

// lookalikes maps characters that are never valid in a zone to the MRZ
// character they are drawn like: other '<' shapes, and the Cyrillic and
// Greek capitals that multi-script OCR models emit for Latin ones. Each has
// exactly one reading, so mapping it guesses nothing. 'K' read for '<' is
// deliberately absent: K is a valid character and is left alone.
var lookalikes = map[rune]rune{
	'‹': '<', '〈': '<', '⟨': '<', '＜': '<', '≺': '<',
	// Cyrillic
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O',
	'Р': 'P', 'С': 'C', 'Т': 'T', 'У': 'Y', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	// Greek
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K',
	'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// Normalize picks the lines of OCR text that may belong to a machine
// readable zone and cleans them. Each line is upper-cased; spaces and
// invisible format characters inside it are dropped; lookalikes that can
// never be valid (fullwidth forms, Cyrillic and Greek capitals drawn like
// Latin ones, '‹' and similar) become the MRZ character they look like,
// and '«' becomes '<' (or "<<" when only that gives the line an exact MRZ
// length). A line is kept when its length is within 2 of 30, 36 or 44,
// at least nine in ten of its characters are A–Z, 0–9 or '<', and it holds
// at least one digit or '<' (MRZ lines short of a name filling all 30
// positions do; printed labels of MRZ length, such as
// "DATEOFEXPIRY/DATED'EXPIRATION" once its spaces go, do not). A kept line
// one or two characters short gets fillers appended, and one ending in one
// or two fillers too many loses them, when that gives it an exact length;
// other lines are returned as they are and Parse will refuse them.
//
// Normalize runs in time linear in len(text), gives up on a line as soon
// as it is too long to be a candidate, and does not retain text.
func Normalize(text string) []string {
	var out []string
	buf := make([]rune, 0, maxLineLen+1)
	for len(text) > 0 {
		i, size := lineBreak(text)
		line := text[:i]
		text = text[i+size:]
		if s, ok := normalizeLine(line, buf[:0]); ok {
			out = append(out, s)
		}
	}
	return out
}

// normalizeLine cleans one line, using buf as scratch space; ok is false
// when the line cannot be part of a zone.
func normalizeLine(line string, buf []rune) (string, bool) {
	valid, guillemets, digitOrFiller := 0, 0, false
	for _, r := range line {
		if r < utf8.RuneSelf {
			if r == ' ' || r >= '\t' && r <= '\r' {
				continue
			}
		} else if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if len(buf) == maxLineLen {
			return "", false
		}
		r = fold(r)
		buf = append(buf, r)
		switch {
		case r == guillemet:
			guillemets++
			valid++
			digitOrFiller = true
		case r < utf8.RuneSelf && isMRZChar(byte(r)):
			valid++
			digitOrFiller = digitOrFiller || r == '<' || isDigit(byte(r))
		}
	}
	n := len(buf)
	if guillemets > 0 && !isMRZLength(n) && isMRZLength(n+guillemets) {
		n += guillemets // each '«' stands for "<<"
	}
	target, ok := nearestLength(n)
	if !ok || !digitOrFiller || (len(buf)-valid)*10 > len(buf) {
		return "", false
	}
	var b strings.Builder
	b.Grow(target + 4)
	for _, r := range buf {
		switch {
		case r != guillemet:
			b.WriteRune(r)
		case n > len(buf):
			b.WriteString("<<")
		default:
			b.WriteByte('<')
		}
	}
	s := b.String()
	switch d := n - target; {
	case d < 0:
		s += strings.Repeat("<", -d)
	case d > 0 && strings.HasSuffix(s, strings.Repeat("<", d)):
		s = s[:len(s)-d]
	}
	return s, true
}

// lineBreak returns where the first line break in text starts and its
// size in bytes: '\n', '\r', U+0085, U+2028 or U+2029. Without one it
// returns len(text), 0.
func lineBreak(text string) (int, int) {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n' || c == '\r':
			return i, 1
		case c == 0xC2 && strings.HasPrefix(text[i:], "\u0085"),
			c == 0xE2 && (strings.HasPrefix(text[i:], "\u2028") || strings.HasPrefix(text[i:], "\u2029")):
			_, size := utf8.DecodeRuneInString(text[i:])
			return i, size
		}
	}
	return len(text), 0
}

// fold upper-cases r and maps lookalikes; '«' is kept for normalizeLine to
// expand.
func fold(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	case r < utf8.RuneSelf:
		return r
	case r >= '０' && r <= '９':
		return r - '０' + '0'
	case r >= 'Ａ' && r <= 'Ｚ':
		return r - 'Ａ' + 'A'
	case r >= 'ａ' && r <= 'ｚ':
		return r - 'ａ' + 'A'
	}
	r = unicode.ToUpper(r)
	if m, ok := lookalikes[r]; ok {
		return m
	}
	return r
}

func isMRZLength(n int) bool { return n == 30 || n == 36 || n == 44 }

// nearestLength returns the MRZ line length within lineSlack of n.
func nearestLength(n int) (int, bool) {
	for _, f := range formats {
		if _, length := f.shape(); n >= length-lineSlack && n <= length+lineSlack {
			return length, true
		}
	}
	return 0, false
}
