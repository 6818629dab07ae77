package mrz

// checkWeights are the repeating weights of the ICAO 9303 part 3 check
// digit.
var checkWeights = [3]int{7, 3, 1}

// CheckDigit returns the ICAO 9303 part 3 check digit of s, '0'..'9': each
// character's value (digits as themselves, A–Z as 10–35, the filler '<' as
// 0) times the weights 7, 3, 1 repeated from the left, summed, modulo 10.
// Characters outside that set count as 0; Parse rejects them before any
// check digit is computed. CheckDigit does not allocate.
func CheckDigit(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += checkWeights[i%3] * charValue(s[i])
	}
	return byte('0' + sum%10)
}

// charValue is the check digit value of one MRZ character.
func charValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	default: // the filler '<', and anything Parse would refuse
		return 0
	}
}

// isMRZChar reports whether c is in the MRZ character set.
func isMRZChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '<'
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
