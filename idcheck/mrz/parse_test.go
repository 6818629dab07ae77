package mrz_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

// TestSpecimensAgreeWithReference recomputes the specimens' check digits
// with refCheck, so the expectations below do not rest on CheckDigit.
func TestSpecimensAgreeWithReference(t *testing.T) {
	tests := []struct {
		format string
		lines  []string
	}{
		{TD1, specimenTD1},
		{TD2, specimenTD2},
		{TD3, specimenTD3},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			for name, p := range checkPositions[tt.format] {
				var data string
				switch name {
				case "composite":
					data = compositeData(tt.format, tt.lines)
				case "document number":
					data = tt.lines[p[0]][p[1]-9 : p[1]]
				case "personal number":
					data = tt.lines[p[0]][p[1]-14 : p[1]]
				default: // dates
					data = tt.lines[p[0]][p[1]-6 : p[1]]
				}
				if got, want := tt.lines[p[0]][p[1]], refCheck(t, data); got != want {
					t.Errorf("%s check digit printed %c, reference computes %c over %q", name, got, want, data)
				}
			}
		})
	}
}

func TestParse(t *testing.T) {
	ok := func(name string, d byte) mrz.Check { return mrz.Check{Name: name, Printed: d, Computed: d, OK: true} }
	anna := mrz.Result{
		IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Nationality: "UTO",
		BirthDate: "740812", Birth: day(1974, time.August, 12), Sex: "F",
		ExpiryDate: "120415", Expiry: day(2012, time.April, 15), Valid: true,
	}
	td1 := anna
	td1.Format, td1.DocumentCode, td1.DocumentNumber = mrz.TD1, "I", "D23145890"
	td1.Checks = []mrz.Check{ok("document number", '7'), ok("birth date", '2'), ok("expiry date", '9'), ok("composite", '6')}
	td1.Lines = specimenTD1

	td2 := anna
	td2.Format, td2.DocumentCode, td2.DocumentNumber = mrz.TD2, "I", "D23145890"
	td2.Checks = []mrz.Check{ok("document number", '7'), ok("birth date", '2'), ok("expiry date", '9'), ok("composite", '6')}
	td2.Lines = specimenTD2

	td3 := anna
	td3.Format, td3.DocumentCode, td3.DocumentNumber, td3.OptionalData1 = mrz.TD3, "P", "L898902C3", "ZE184226B"
	td3.Checks = []mrz.Check{ok("document number", '6'), ok("birth date", '2'), ok("expiry date", '9'),
		ok("personal number", '1'), ok("composite", '0')}
	td3.Lines = specimenTD3

	// Fictional documents exercising what the specimens do not.
	long := doc{code: "ID", state: "UTO", number: "AB1234567890", nationality: "UTO", birth: "951130", sex: "<",
		expiry: "310228", opt1: "Q7", opt2: "X99<7QRSTU8", surname: "VAN DER BERG", given: "JAN PIETER"}
	longTD1 := long.td1(t)
	wantLongTD1 := mrz.Result{
		Format: mrz.TD1, DocumentCode: "ID", IssuingState: "UTO", Surname: "VAN DER BERG", GivenNames: "JAN PIETER",
		DocumentNumber: "AB1234567890", Nationality: "UTO", BirthDate: "951130", Birth: day(1995, time.November, 30),
		ExpiryDate: "310228", Expiry: day(2031, time.February, 28), Sex: "X", OptionalData1: "Q7", OptionalData2: "X99<7QRSTU8",
		Valid: true, Lines: longTD1,
		Checks: []mrz.Check{ok("document number", refCheck(t, "AB1234567890")), ok("birth date", refCheck(t, "951130")),
			ok("expiry date", refCheck(t, "310228")), ok("composite", longTD1[1][29])},
	}
	longTD2 := long.td2(t)
	wantLongTD2 := wantLongTD1
	wantLongTD2.Format, wantLongTD2.OptionalData1, wantLongTD2.OptionalData2, wantLongTD2.Lines = mrz.TD2, "Q7", "", longTD2
	wantLongTD2.Checks = append([]mrz.Check(nil), wantLongTD1.Checks...)
	wantLongTD2.Checks[3] = ok("composite", longTD2[1][35])

	noPersonal := doc{code: "PD", state: "D", number: "C01X00T47", nationality: "D", birth: "640812", sex: "M",
		expiry: "300101", surname: "MUSTERMANN", given: "ERIKA", personalFiller: true}
	noPersonalTD3 := noPersonal.td3(t)
	wantNoPersonal := mrz.Result{
		Format: mrz.TD3, DocumentCode: "PD", IssuingState: "D", Surname: "MUSTERMANN", GivenNames: "ERIKA",
		DocumentNumber: "C01X00T47", Nationality: "D", BirthDate: "640812", Birth: day(1964, time.August, 12),
		ExpiryDate: "300101", Expiry: day(2030, time.January, 1), Sex: "M", Valid: true, Lines: noPersonalTD3,
		Checks: []mrz.Check{ok("document number", refCheck(t, "C01X00T47")), ok("birth date", refCheck(t, "640812")),
			ok("expiry date", refCheck(t, "300101")), {Name: "personal number", Printed: '<', Computed: '0', OK: true},
			ok("composite", noPersonalTD3[1][43])},
	}

	tests := []struct {
		name  string
		lines []string
		want  mrz.Result
	}{
		{"ICAO TD1 specimen", specimenTD1, td1},
		{"ICAO TD2 specimen", specimenTD2, td2},
		{"ICAO TD3 specimen", specimenTD3, td3},
		{"TD1 long document number", longTD1, wantLongTD1},
		{"TD2 long document number", longTD2, wantLongTD2},
		{"TD3 empty personal number, filler check digit", noPersonalTD3, wantNoPersonal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mrz.Parse(tt.lines, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.lines, err)
			}
			assertResult(t, got, tt.want)
		})
	}
}

// assertResult compares every field of got with want, naming each that
// differs.
func assertResult(tb testing.TB, got, want mrz.Result) {
	tb.Helper()
	strs := []struct{ name, got, want string }{
		{"Format", string(got.Format), string(want.Format)},
		{"DocumentCode", got.DocumentCode, want.DocumentCode},
		{"IssuingState", got.IssuingState, want.IssuingState},
		{"Surname", got.Surname, want.Surname},
		{"GivenNames", got.GivenNames, want.GivenNames},
		{"DocumentNumber", got.DocumentNumber, want.DocumentNumber},
		{"Nationality", got.Nationality, want.Nationality},
		{"BirthDate", got.BirthDate, want.BirthDate},
		{"ExpiryDate", got.ExpiryDate, want.ExpiryDate},
		{"Sex", got.Sex, want.Sex},
		{"OptionalData1", got.OptionalData1, want.OptionalData1},
		{"OptionalData2", got.OptionalData2, want.OptionalData2},
	}
	for _, s := range strs {
		if s.got != s.want {
			tb.Errorf("%s = %q, want %q", s.name, s.got, s.want)
		}
	}
	if !got.Birth.Equal(want.Birth) {
		tb.Errorf("Birth = %v, want %v", got.Birth, want.Birth)
	}
	if !got.Expiry.Equal(want.Expiry) {
		tb.Errorf("Expiry = %v, want %v", got.Expiry, want.Expiry)
	}
	if !reflect.DeepEqual(got.Checks, want.Checks) {
		tb.Errorf("Checks = %+v, want %+v", got.Checks, want.Checks)
	}
	if got.Valid != want.Valid {
		tb.Errorf("Valid = %v, want %v", got.Valid, want.Valid)
	}
	if !reflect.DeepEqual(got.Corrections, want.Corrections) {
		tb.Errorf("Corrections = %q, want %q", got.Corrections, want.Corrections)
	}
	if !reflect.DeepEqual(got.Lines, want.Lines) {
		tb.Errorf("Lines = %q, want %q", got.Lines, want.Lines)
	}
}

// failing returns the names of the checks that disagree.
func failing(r mrz.Result) []string {
	var names []string
	for _, c := range r.Checks {
		if !c.OK {
			names = append(names, c.Name)
		}
	}
	return names
}

// TestCorruptedCheckDigit changes each check digit of each specimen in
// turn. With the composite recomputed over the changed digit (a document
// printed that way), exactly that check fails; left as printed, the
// composite, which covers every other check digit, fails with it.
func TestCorruptedCheckDigit(t *testing.T) {
	specimens := map[string][]string{TD1: specimenTD1, TD2: specimenTD2, TD3: specimenTD3}
	for format, lines := range specimens {
		for name, p := range checkPositions[format] {
			printed := lines[p[0]][p[1]]
			wrong := '0' + (printed-'0'+3)%10
			corrupted := withChar(lines, p[0], p[1], wrong)
			t.Run(format+"/"+name+"/composite recomputed", func(t *testing.T) {
				in := corrupted
				if name != "composite" {
					c := checkPositions[format]["composite"]
					in = withChar(in, c[0], c[1], refCheck(t, compositeData(format, in)))
				}
				got, err := mrz.Parse(in, now)
				if err != nil {
					t.Fatal(err)
				}
				if got.Valid {
					t.Error("Valid = true, want false")
				}
				if f := failing(got); !reflect.DeepEqual(f, []string{name}) {
					t.Errorf("failing checks = %q, want [%q]", f, name)
				}
			})
			t.Run(format+"/"+name+"/as printed", func(t *testing.T) {
				got, err := mrz.Parse(corrupted, now)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{name, "composite"}
				if name == "composite" {
					want = want[1:]
				}
				if got.Valid {
					t.Error("Valid = true, want false")
				}
				if f := failing(got); !reflect.DeepEqual(f, want) {
					t.Errorf("failing checks = %q, want %q", f, want)
				}
			})
		}
	}
}

// TestPersonalNumberFillerCheck checks that '<' as the TD3 personal number
// check digit is accepted only when the personal number is all fillers.
func TestPersonalNumberFillerCheck(t *testing.T) {
	filler := withChar(specimenTD3, 1, 42, '<')
	filler = withChar(filler, 1, 43, refCheck(t, compositeData(TD3, filler)))
	got, err := mrz.Parse(filler, now)
	if err != nil {
		t.Fatal(err)
	}
	want := mrz.Check{Name: "personal number", Printed: '<', Computed: '1', OK: false}
	if got.Valid || got.Checks[3] != want {
		t.Errorf("Valid = %v, personal number check = %+v; want false, %+v", got.Valid, got.Checks[3], want)
	}
}

func TestParseDates(t *testing.T) {
	tests := []struct {
		name          string
		birth, expiry string
		now           time.Time
		wantBirth     time.Time
		wantExpiry    time.Time
	}{
		{"birth last year is this century", "250101", "300101", now, day(2025, 1, 1), day(2030, 1, 1)},
		{"birth next year is last century", "270101", "300101", now, day(1927, 1, 1), day(2030, 1, 1)},
		{"birth 25 read in 2024 is 1925", "250101", "300101", day(2024, 6, 1), day(1925, 1, 1), day(2030, 1, 1)},
		{"birth today", "260601", "300101", now, day(2026, 6, 1), day(2030, 1, 1)},
		{"birth tomorrow is last century", "260602", "300101", now, day(1926, 6, 2), day(2030, 1, 1)},
		{"expiry 20 years ahead", "740812", "460601", now, day(1974, 8, 12), day(2046, 6, 1)},
		{"expiry beyond 20 years is last century", "740812", "460602", now, day(1974, 8, 12), day(1946, 6, 2)},
		{"expired document", "740812", "120415", now, day(1974, 8, 12), day(2012, 4, 15)},
		{"next century for a reader in 2095", "740812", "030101", day(2095, 1, 1), day(2074, 8, 12), day(2103, 1, 1)},
		{"29 February 2000", "000229", "300101", now, day(2000, 2, 29), day(2030, 1, 1)},
		{"29 February in a common year", "010229", "300101", now, time.Time{}, day(2030, 1, 1)},
		{"unknown day and month", "7408<<", "300101", now, time.Time{}, day(2030, 1, 1)},
		{"month 13", "741312", "301301", now, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc{code: "I", state: "UTO", number: "X4RT72", nationality: "UTO", birth: tt.birth, sex: "F",
				expiry: tt.expiry, surname: "DOE", given: "JO"}
			got, err := mrz.Parse(d.td1(t), tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Birth.Equal(tt.wantBirth) {
				t.Errorf("Birth = %v, want %v", got.Birth, tt.wantBirth)
			}
			if !got.Expiry.Equal(tt.wantExpiry) {
				t.Errorf("Expiry = %v, want %v", got.Expiry, tt.wantExpiry)
			}
			if got.BirthDate != tt.birth || got.ExpiryDate != tt.expiry {
				t.Errorf("printed dates = %q, %q, want %q, %q", got.BirthDate, got.ExpiryDate, tt.birth, tt.expiry)
			}
			if !got.Valid {
				t.Errorf("Valid = false, failing %q", failing(got))
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	visa := []string{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"}
	tests := []struct {
		name  string
		lines []string
		want  error
	}{
		{"no lines", nil, mrz.ErrFormat},
		{"one line", specimenTD3[:1], mrz.ErrFormat},
		{"four lines", append(append([]string(nil), specimenTD1...), specimenTD1[0]), mrz.ErrFormat},
		{"TD1 line short", []string{specimenTD1[0], specimenTD1[1][:29], specimenTD1[2]}, mrz.ErrFormat},
		{"TD2 upper with TD3 lower", []string{specimenTD2[0], specimenTD3[1]}, mrz.ErrFormat},
		{"TD3 line long", []string{specimenTD3[0], specimenTD3[1] + "<"}, mrz.ErrFormat},
		{"lower case", []string{strings.ToLower(specimenTD3[0]), specimenTD3[1]}, mrz.ErrCharset},
		{"guillemet", []string{specimenTD3[0][:20] + "«" + specimenTD3[0][21:], specimenTD3[1]}, mrz.ErrCharset},
		{"space", withText(specimenTD1, 2, 8, " "), mrz.ErrCharset},
		{"document code starts with a digit", withText(specimenTD1, 0, 0, "1"), mrz.ErrFormat},
		{"document code starts with a filler", withText(specimenTD3, 0, 0, "<"), mrz.ErrFormat},
		{"visa", visa, mrz.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mrz.Parse(tt.lines, now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
			if got.Format != "" || got.Valid || got.Lines != nil {
				t.Errorf("Parse returned %+v with its error, want the zero Result", got)
			}
		})
	}
}

func TestFields(t *testing.T) {
	r, err := mrz.Parse(withChar(specimenTD3, 1, 27, '3'), now) // expiry check digit wrong
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name, value, raw string
		check            string // "", "ok" or "bad"
	}
	want := []row{
		{"Document code", "P", "P<", ""},
		{"Issuing state", "UTO", "UTO", ""},
		{"Surname", "ERIKSSON", "ERIKSSON", ""},
		{"Given names", "ANNA MARIA", "ANNA<MARIA<<<<<<<<<<<<<<<<<<<", ""},
		{"Document number", "L898902C3", "L898902C3", "ok"},
		{"Nationality", "UTO", "UTO", ""},
		{"Birth date", "1974-08-12", "740812", "ok"},
		{"Sex", "F", "F", ""},
		{"Expiry date", "2012-04-15", "120415", "bad"},
		{"Personal number", "ZE184226B", "ZE184226B<<<<<", "ok"},
		{"Composite check digit", "0", "0", "bad"},
	}
	got := r.Fields()
	if len(got) != len(want) {
		t.Fatalf("Fields() has %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		check := ""
		if g.CheckOK != nil {
			check = map[bool]string{true: "ok", false: "bad"}[*g.CheckOK]
		}
		if g.Name != w.name || g.Value != w.value || g.Raw != w.raw || check != w.check {
			t.Errorf("row %d = {%q %q %q %q}, want {%q %q %q %q}", i, g.Name, g.Value, g.Raw, check, w.name, w.value, w.raw, w.check)
		}
	}

	td1, err := mrz.Parse(specimenTD1, now)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range td1.Fields() {
		names = append(names, f.Name)
	}
	wantNames := []string{"Document code", "Issuing state", "Surname", "Given names", "Document number", "Nationality",
		"Birth date", "Sex", "Expiry date", "Optional data 1", "Optional data 2", "Composite check digit"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("TD1 field names = %q, want %q", names, wantNames)
	}
	if f := (mrz.Result{}).Fields(); f != nil {
		t.Errorf("zero Result Fields() = %+v, want nil", f)
	}
}
