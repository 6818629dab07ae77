package mrz_test

import (
	"strings"
	"testing"

	"github.com/unmaskhq/unmask/idcheck/mrz"
)

// noisyTD1 is the back of an ID card as OCR reads it from a webcam frame:
// printed text, lower case, spaces, a guillemet, an O in a date and a
// short line.
const noisyTD1 = "REPUBLIC OF UTOPIA\nIDENTITY CARD / CARTE D'IDENTITE\nNo. D23145890\n\n" +
	" i<uto d23145890 7<<<<<<<<<<<<<<<\n7408122F12O4159UTO«<<<<<<<<<6\nerikss0n<<anna<maria<<<<<<<<<\n"

func BenchmarkFind(b *testing.B) {
	r, err := mrz.Find(noisyTD1, now)
	if err != nil || !r.Valid {
		b.Fatalf("Find = %+v, %v", r, err)
	}
	b.SetBytes(int64(len(noisyTD1)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := mrz.Find(noisyTD1, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := mrz.Parse(specimenTD3, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := strings.Repeat("The candidate holds the card up to the camera.\n", 50) + noisyTD1
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		mrz.Normalize(text)
	}
}
