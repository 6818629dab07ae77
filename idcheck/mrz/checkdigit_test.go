package mrz_test

import (
	"testing"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		sum  string // the hand computation
	}{
		{"", '0', "0"},
		{"<<<<<<<<<<<<<<", '0', "fillers count 0"},
		{"520727", '3', "5·7+2·3+0·1+7·7+2·3+7·1 = 35+6+0+49+6+7 = 103"},
		{"740812", '2', "7·7+4·3+0·1+8·7+1·3+2·1 = 49+12+0+56+3+2 = 122"},
		{"120415", '9', "7+6+0+28+3+5 = 49"},
		{"D23145890", '7', "D=13: 91+6+3+7+12+5+56+27+0 = 207"},
		{"L898902C3", '6', "L=21, C=12: 147+24+9+56+27+0+14+36+3 = 316"},
		{"ZE184226B<<<<<", '1', "Z=35, E=14, B=11: 245+42+1+56+12+2+14+18+11 = 401"},
		{"AB2134<<<", '5', "A=10, B=11: 70+33+2+7+9+4 = 125"},
		{"<A<", '0', "A=10 at weight 3: 30"},
		{"Z", '5', "35·7 = 245"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mrz.CheckDigit(tt.in); got != tt.want {
				t.Errorf("CheckDigit(%q) = %c, want %c (%s)", tt.in, got, tt.want, tt.sum)
			}
			if ref := refCheck(t, tt.in); ref != tt.want {
				t.Errorf("refCheck(%q) = %c, want %c: the reference is wrong", tt.in, ref, tt.want)
			}
		})
	}
}

// TestCheckDigitMatchesReference compares CheckDigit with the independent
// reference over every MRZ character in every weight position.
func TestCheckDigitMatchesReference(t *testing.T) {
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
	for _, prefix := range []string{"", "7", "73"} {
		for _, c := range chars {
			s := prefix + string(c) + "X9<"
			if got, want := mrz.CheckDigit(s), refCheck(t, s); got != want {
				t.Errorf("CheckDigit(%q) = %c, reference %c", s, got, want)
			}
		}
	}
}
