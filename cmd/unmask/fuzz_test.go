package main

import (
	"io"
	"strings"
	"testing"
)

// FuzzParseAnalyze: any command line gives options or an error, never a
// panic, and accepted options always name one input and a known detector.
func FuzzParseAnalyze(f *testing.F) {
	for _, s := range []string{"a.mp4 --json", "--out d a.mp4", "a.mp4 --detector haar", "--json", "a b", "-- -x", "a.mp4 --out"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parseAnalyze(strings.Fields(s), io.Discard)
		if err != nil {
			return
		}
		if o.input == "" {
			t.Errorf("accepted %q with no input", s)
		}
		if o.detector != "hog" && o.detector != "haar" {
			t.Errorf("accepted detector %q", o.detector)
		}
	})
}
