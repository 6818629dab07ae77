package mrz_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"exact lines", strings.Join(specimenTD3, "\n"), specimenTD3},
		{
			"ID card back as OCR reads it",
			"REPUBLIC OF UTOPIA\n" +
				"Identity card  No. D23145890\n" + // printed text above the zone
				"\n" +
				"  i<uto d23145890 7<<<<<<<<<<<<<<<  \n" + // lower case, spaces inside and around
				"7408122F1204159UTO<<<<<<<<<<<6\r\n" + // CRLF
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<\n", // one filler short
			specimenTD1,
		},
		{
			"guillemets for fillers",
			"P«UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + // « for one <
				"L898902C36UTO7408122F1204159ZE184226B«<<<<10", // 43 with « as <, so « is <<
			specimenTD3,
		},
		{
			"guillemet for << in the name",
			"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON«ANNA<MARIA<<<<<<<<<<",
			specimenTD1,
		},
		{
			"other lookalikes",
			"Р‹UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + // Cyrillic Р, ‹
				"L898902C36UTO７408122F1204159ZЕ184226В<<<<<10", // fullwidth 7, Cyrillic Е, В
			specimenTD3,
		},
		{
			"two fillers too many and two too few",
			"I<UTOD231458907<<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<",
			specimenTD1,
		},
		{
			"three short is not a candidate",
			"ERIKSSON<<ANNA<MARIA<<<<<<<",
			nil,
		},
		{
			"long line not ending in fillers is kept as read",
			"7408122F1204159UTO<<<<<<<<<<<6X",
			[]string{"7408122F1204159UTO<<<<<<<<<<<6X"},
		},
		{
			"printed text of MRZ length without digits or fillers",
			"Date of expiry / Date d'expiration\nREPUBLICOFUTOPIAIDENTITYCARDS",
			nil,
		},
		{
			"mostly not MRZ characters",
			"7408122F.1204159,UTO..<<<<<<<6",
			nil,
		},
		{
			"one stray character is kept for Parse to refuse",
			"7408122F1204159UTO<<<<<<<<<.<6",
			[]string{"7408122F1204159UTO<<<<<<<<<.<6"},
		},
		{
			"K for a filler is left alone",
			"ERIKSSON<<ANNA<MARIA<<<<<KK<<<",
			[]string{"ERIKSSON<<ANNA<MARIA<<<<<KK<<<"},
		},
		{
			"zero width and no-break spaces",
			"I<UTO\u200bD23145890\u00a07<<<<<<<<<<<<<<<",
			specimenTD1[:1],
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mrz.Normalize(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Normalize(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}
