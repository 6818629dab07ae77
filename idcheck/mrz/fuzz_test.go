package mrz_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

// FuzzFind feeds arbitrary text to Find. It must not panic, must fail only
// with ErrNotFound, and a reading it returns must be one Parse gives for
// the returned lines, with Valid meaning every check agrees.
func FuzzFind(f *testing.F) {
	f.Add(strings.Join(specimenTD1, "\n"))
	f.Add(strings.Join(specimenTD2, "\n"))
	f.Add(strings.Join(specimenTD3, "\n"))
	f.Add("REPUBLIC OF UTOPIA\n i<uto d23145890 7<<<<<<<<<<<<<<<\n7408122F12O4159UTO«<<<<<<<<<6\nerikss0n<<anna<maria<<<<<<<<<")
	f.Add("I<UTOAB1234567<8904<Q7<<<<<<<<\n9511303<3102286UTOX99<7<<<<<<2\nVAN<DER<BERG<<JAN<PIETER<<<<<<")
	f.Add("\x00\xff«\u2028" + strings.Repeat("<", 30))
	f.Fuzz(func(t *testing.T, text string) {
		for _, line := range mrz.Normalize(text) {
			if n := utf8.RuneCountInString(line); n < 28 || n > 46 {
				t.Fatalf("Normalize kept %q of %d characters", line, n)
			}
		}
		got, err := mrz.Find(text, now)
		if err != nil {
			if !errors.Is(err, mrz.ErrNotFound) {
				t.Fatalf("Find error %v is not ErrNotFound", err)
			}
			return
		}
		again, err := mrz.Parse(got.Lines, now)
		if err != nil {
			t.Fatalf("Find returned lines %q that Parse refuses: %v", got.Lines, err)
		}
		again.Corrections = got.Corrections
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("Find = %+v, Parse of its lines = %+v", got, again)
		}
		allOK := len(got.Checks) > 0
		for _, c := range got.Checks {
			allOK = allOK && c.OK
		}
		if got.Valid != allOK {
			t.Fatalf("Valid = %v with checks %+v", got.Valid, got.Checks)
		}
		if fields := got.Fields(); len(fields) < 10 {
			t.Fatalf("Fields() = %+v", fields)
		}
	})
}
