package idsynth_test

import (
	"image/color"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/idcheck/mrz"
	"github.com/unmaskhq/unmask/internal/idsynth"
)

var readAt = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func TestZonesParseAndTamperFails(t *testing.T) {
	td1, err := idsynth.TD1(idsynth.Specimen)
	if err != nil {
		t.Fatal(err)
	}
	// ICAO 9303's printed TD1 specimen differs only in its optional data.
	if want := "I<UTOD231458907<<<<<<<<<<<<<<<"; td1[0] != want {
		t.Errorf("TD1 line 1 %q, want %q", td1[0], want)
	}
	td3, err := idsynth.TD3(idsynth.Specimen)
	if err != nil {
		t.Fatal(err)
	}
	for _, lines := range [][]string{td1, td3} {
		r, err := mrz.Parse(lines, readAt)
		if err != nil || !r.Valid {
			t.Fatalf("Parse(%q) = valid %v, %v; want valid", lines, r.Valid, err)
		}
		if r.Surname != "ERIKSSON" || r.DocumentNumber != "D23145890" {
			t.Errorf("fields %q %q", r.Surname, r.DocumentNumber)
		}
		bad, err := mrz.Parse(idsynth.Tamper(lines), readAt)
		if err != nil {
			t.Fatal(err)
		}
		if bad.Valid {
			t.Errorf("tampered %q parsed valid", idsynth.Tamper(lines))
		}
	}
}

func TestHolderRejectsBadFields(t *testing.T) {
	h := idsynth.Specimen
	h.Birth = "7408"
	if _, err := idsynth.TD1(h); err == nil {
		t.Error("short birth date accepted")
	}
	h = idsynth.Specimen
	h.Surname = "O'BRIEN"
	if _, err := idsynth.TD3(h); err == nil {
		t.Error("apostrophe accepted")
	}
}

func TestDrawTextInks(t *testing.T) {
	face, err := idsynth.LoadFont(idsynth.OCRB, 28)
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	img := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(255, 255, 255, 0), 60, 400, gocv.MatTypeCV8UC3)
	defer img.Close()
	if err := idsynth.DrawText(&img, face, 10, 40, "P<UTO<<<", color.RGBA{0, 0, 0, 255}); err != nil {
		t.Fatal(err)
	}
	gray := gocv.NewMat()
	defer gray.Close()
	gocv.CvtColor(img, &gray, gocv.ColorBGRToGray)
	dark := 0
	for y := 0; y < gray.Rows(); y++ {
		for x := 0; x < gray.Cols(); x++ {
			if gray.GetUCharAt(y, x) < 128 {
				dark++
			}
		}
	}
	if dark < 300 {
		t.Errorf("%d inked pixels, want at least 300", dark)
	}
	// Drawing past the edge clips instead of writing out of bounds.
	if err := idsynth.DrawText(&img, face, 380, 70, "WWWW", color.RGBA{0, 0, 0, 255}); err != nil {
		t.Fatal(err)
	}
	gray8 := gocv.NewMat()
	defer gray8.Close()
	if err := idsynth.DrawText(&gray8, face, 0, 0, "X", color.RGBA{}); err == nil {
		t.Error("empty Mat accepted")
	}
}
