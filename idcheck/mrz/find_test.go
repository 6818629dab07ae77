package mrz_test

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

func TestFindRepairs(t *testing.T) {
	tests := []struct {
		name            string
		lines           []string
		want            []string // the repaired lines
		wantCorrections []string
	}{
		{
			"O in a birth date", withText(specimenTD3, 1, 13, "74O812"), specimenTD3,
			[]string{"birth date position 3: O read as 0"},
		},
		{
			"O and I in one birth date", withText(specimenTD1, 1, 0, "74O8I2"), specimenTD1,
			[]string{"birth date position 3: O read as 0", "birth date position 5: I read as 1"},
		},
		{
			"S in an expiry date", withText(specimenTD2, 1, 21, "1204IS"), specimenTD2,
			[]string{"expiry date position 5: I read as 1", "expiry date position 6: S read as 5"},
		},
		{
			// L and 1 weigh the same in a check digit, which agrees before
			// the repair too; the digits-only class alone rules L out.
			"L in an expiry date", withText(specimenTD1, 1, 8, "L2O415"), specimenTD1,
			[]string{"expiry date position 1: L read as 1", "expiry date position 3: O read as 0"},
		},
		{
			"G for the document number check digit", withText(specimenTD3, 1, 9, "G"), specimenTD3,
			[]string{"document number check digit: G read as 6"},
		},
		{
			"O for the composite check digit", withText(specimenTD3, 1, 43, "O"), specimenTD3,
			[]string{"composite check digit: O read as 0"},
		},
		{
			"0 in the surname", withText(specimenTD3, 0, 5, "ERIKSS0N"), specimenTD3,
			[]string{"surname position 7: 0 read as O"},
		},
		{
			"digits in the given names, state and nationality",
			withText(withText(withText(specimenTD1, 2, 10, "ANNA<MAR1A"), 0, 2, "UT0"), 1, 15, "UT0"), specimenTD1,
			[]string{"issuing state position 3: 0 read as O", "nationality position 3: 0 read as O", "given names position 9: 1 read as I"},
		},
		{
			"1 in the document code", withText(specimenTD1, 0, 0, "1"), specimenTD1,
			[]string{"document code position 1: 1 read as I"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := mrz.Parse(tt.want, now)
			if err != nil {
				t.Fatal(err)
			}
			// The confusion must change what Parse reads, or the case tests nothing.
			if before, err := mrz.Parse(tt.lines, now); err == nil {
				before.Lines, want.Lines = nil, nil
				if reflect.DeepEqual(before, want) {
					t.Fatalf("the confused lines %q read the same as the specimen", tt.lines)
				}
				want.Lines = tt.want
			}
			got, err := mrz.Find(strings.Join(tt.lines, "\n"), now)
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			want.Corrections = tt.wantCorrections
			assertResult(t, got, want)
		})
	}
}

func TestFindRefusesRepair(t *testing.T) {
	// In the TD1 specimen's number D23145890, an I read for the 1 at
	// position 4 and a B read for the 8 at position 7 change the check
	// digit by the same amount, so both readings of D23I45890 agree with it.
	if a, b := refCheck(t, "D23145890"), refCheck(t, "D23I45B90"); a != b {
		t.Fatalf("premise: check digits %c and %c differ", a, b)
	}
	numeric := doc{code: "I", state: "UTO", number: "123456789", nationality: "UTO", birth: "900101", sex: "M",
		expiry: "300101", surname: "DOE", given: "JOHN"}.td1(t)
	tests := []struct {
		name        string
		lines       []string
		wantFailing []string
	}{
		{"I in the document number: 1 and B readings both agree", withText(specimenTD1, 0, 5, "D23I45890"),
			[]string{"document number", "composite"}},
		{"I in an all-digit document number: alphanumeric field", withText(numeric, 0, 5, "12I456789"),
			[]string{"document number", "composite"}},
		{"B in the personal number: alphanumeric field", withText(specimenTD3, 1, 28, "ZE1B4226B"),
			[]string{"personal number", "composite"}},
		{"O in a date whose check digit disagrees with every reading", withText(specimenTD3, 1, 13, "74O8125"),
			[]string{"birth date", "composite"}},
		{"a letter with no digit reading in a date", withText(specimenTD3, 1, 13, "74X812"),
			[]string{"birth date", "composite"}},
		{"two confusions, one unreadable", withText(specimenTD3, 1, 13, "74OX12"),
			[]string{"birth date", "composite"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mrz.Find(strings.Join(tt.lines, "\n"), now)
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if got.Valid {
				t.Errorf("Valid = true after corrections %q, want false", got.Corrections)
			}
			if got.Corrections != nil {
				t.Errorf("Corrections = %q, want none", got.Corrections)
			}
			if !reflect.DeepEqual(got.Lines, tt.lines) {
				t.Errorf("Lines = %q, want them as read: %q", got.Lines, tt.lines)
			}
			if f := failing(got); !reflect.DeepEqual(f, tt.wantFailing) {
				t.Errorf("failing checks = %q, want %q", f, tt.wantFailing)
			}
		})
	}
}

func TestFindInText(t *testing.T) {
	invalid := withChar(specimenTD1, 1, 6, '5') // birth check digit wrong
	tests := []struct {
		name      string
		text      string
		want      []string
		wantValid bool
	}{
		{
			"ID card back with printed text and OCR noise",
			"REPUBLIC OF UTOPIA\nIDENTITY CARD\n\n i<uto d23145890 7<<<<<<<<<<<<<<<\n\n7408122F12O4159UTO«<<<<<<<<<6\nerikss0n<<anna<maria<<<<<<<<<\nSignature",
			specimenTD1, true,
		},
		{
			"passport page",
			"PASSPORT  PASSEPORT\nSurname / Nom\nERIKSSON\nGiven names / Prénoms\nANNA MARIA\n" +
				strings.Join(specimenTD3, "\n"),
			specimenTD3, true,
		},
		{
			"valid zone preferred to an earlier invalid one",
			strings.Join(invalid, "\n") + "\n\n" + strings.Join(specimenTD3, "\n"),
			specimenTD3, true,
		},
		{
			"zone needing no repair preferred to an earlier one needing repair",
			strings.Join(withText(specimenTD3, 1, 13, "74O812"), "\n") + "\n" + strings.Join(specimenTD1, "\n"),
			specimenTD1, true,
		},
		{
			"invalid zone is still returned",
			strings.Join(invalid, "\n"),
			invalid, false,
		},
		{
			"TD1 lines among lines of MRZ length",
			"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n" + strings.Join(specimenTD1, "\n") + "\n7408122F1204159UTO<<<<<<<<<<<6",
			specimenTD1, true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mrz.Find(tt.text, now)
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if !reflect.DeepEqual(got.Lines, tt.want) || got.Valid != tt.wantValid {
				t.Errorf("Find = %q valid %v, want %q valid %v", got.Lines, got.Valid, tt.want, tt.wantValid)
			}
		})
	}
}

func TestFindBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 1<<20)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	prose := strings.Repeat("The candidate holds the card up to the camera, 2 fingers on it.\n", 10000)
	tests := []struct {
		name string
		text string
		want error
	}{
		{"empty", "", mrz.ErrNotFound},
		{"whitespace", " \n\t\r\n ", mrz.ErrNotFound},
		{"binary garbage", string(garbage), mrz.ErrNotFound},
		{"10 000 lines of prose", prose, mrz.ErrNotFound},
		{"10 000 lines of fillers", strings.Repeat(strings.Repeat("<", 30)+"\n", 10000), mrz.ErrFormat},
		{"10 000 lines of characters outside the set", strings.Repeat(strings.Repeat("<", 29)+"#\n", 10000), mrz.ErrCharset},
		{"1 MB line of fillers", strings.Repeat("<", 1<<20), mrz.ErrNotFound},
		{"1 MB line of an MRZ repeated", strings.Repeat(specimenTD3[1], 1<<20/44), mrz.ErrNotFound},
		{"1 MB of spaces then a line", strings.Repeat(" ", 1<<20) + specimenTD3[1], mrz.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			got, err := mrz.Find(tt.text, now)
			elapsed := time.Since(start)
			if !errors.Is(err, tt.want) || !errors.Is(err, mrz.ErrNotFound) {
				t.Errorf("Find error = %v, want %v and %v", err, tt.want, mrz.ErrNotFound)
			}
			if got.Format != "" {
				t.Errorf("Find returned %q with its error", got.Lines)
			}
			// Generous enough for the race detector on a slow machine;
			// quadratic work on these inputs would take minutes.
			if elapsed > 2*time.Second {
				t.Errorf("Find took %v", elapsed)
			}
		})
	}
}

// TestFindManyCandidates feeds 10 000 lines that each form a zone whose
// check digits disagree: every group is read, and it stays fast.
func TestFindManyCandidates(t *testing.T) {
	bad := withChar(specimenTD1, 1, 6, '5')
	text := strings.Repeat(strings.Join(bad, "\n")+"\n", 3334)
	start := time.Now()
	got, err := mrz.Find(text, now)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("Find took %v", elapsed)
	}
	if err != nil || got.Valid || !reflect.DeepEqual(got.Lines, bad) {
		t.Errorf("Find = %q valid %v, %v; want %q invalid", got.Lines, got.Valid, err, bad)
	}
}
