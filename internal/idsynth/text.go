package idsynth

import (
	"fmt"
	"image"
	"image/color"
	"os"

	"gocv.io/x/gocv"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Font files from Debian packages (build/setup.sh installs both).
const (
	// OCRB is the OCR-B face ICAO 9303 part 3 prescribes for the machine
	// readable zone (package fonts-ocr-b).
	OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
	// Sans prints the visual zone: names, dates, headings (package
	// fonts-dejavu-core).
	Sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

// LoadFont opens the OpenType or TrueType font at path at a size of px
// pixels per em. The caller closes the face.
func LoadFont(path string, px float64) (font.Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("idsynth: font: %w (install fonts-ocr-b and fonts-dejavu-core)", err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("idsynth: font %s: %w", path, err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("idsynth: font %s: %w", path, err)
	}
	return face, nil
}

// TextWidth is the advance of s in face, in pixels.
func TextWidth(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}

// DrawText draws s in colour c onto img, a BGR CV_8UC3 Mat, with the
// baseline of its first character at (x, y). Glyphs are anti-aliased and
// clipped to the image.
func DrawText(img *gocv.Mat, face font.Face, x, y int, s string, c color.RGBA) error {
	if img == nil || img.Empty() || img.Type() != gocv.MatTypeCV8UC3 {
		return fmt.Errorf("idsynth: DrawText needs a BGR image")
	}
	m := face.Metrics()
	w := TextWidth(face, s)
	top := y - m.Ascent.Ceil()
	h := m.Ascent.Ceil() + m.Descent.Ceil()
	if w <= 0 || h <= 0 {
		return nil
	}
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, m.Ascent.Ceil())}
	d.DrawString(s)
	blend(img, mask, x, top, c)
	return nil
}

// blend paints colour c through mask onto img with mask's origin at
// (x0, y0), clipped to img.
func blend(img *gocv.Mat, mask *image.Alpha, x0, y0 int, c color.RGBA) {
	rows, cols := img.Rows(), img.Cols()
	data, err := img.DataPtrUint8()
	if err != nil {
		return
	}
	b := mask.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		iy := y0 + y
		if iy < 0 || iy >= rows {
			continue
		}
		for x := b.Min.X; x < b.Max.X; x++ {
			ix := x0 + x
			if ix < 0 || ix >= cols {
				continue
			}
			a := int(mask.AlphaAt(x, y).A)
			if a == 0 {
				continue
			}
			p := (iy*cols + ix) * 3
			data[p] = mix(data[p], c.B, a)
			data[p+1] = mix(data[p+1], c.G, a)
			data[p+2] = mix(data[p+2], c.R, a)
		}
	}
}

func mix(dst, src uint8, a int) uint8 {
	return uint8((int(dst)*(255-a) + int(src)*a + 127) / 255)
}
