package report

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// Colours of the annotated frame. The box takes the level's colour, as in
// the report; regions are magenta so they never read as a level.
var (
	colourHigh     = color.RGBA{R: 220, G: 30, B: 30, A: 255}
	colourMedium   = color.RGBA{R: 255, G: 176, B: 0, A: 255}
	colourLow      = color.RGBA{R: 40, G: 170, B: 80, A: 255}
	colourRegion   = color.RGBA{R: 255, G: 0, B: 255, A: 255}
	colourLandmark = color.RGBA{R: 0, G: 230, B: 255, A: 255}
	colourBar      = color.RGBA{R: 24, G: 24, B: 24, A: 255}
	colourText     = color.RGBA{R: 255, G: 255, B: 255, A: 255}
)

func levelColour(level string) color.RGBA {
	switch level {
	case LevelHigh:
		return colourHigh
	case LevelMedium:
		return colourMedium
	}
	return colourLow
}

// annotate draws on m, in place, what made the window suspicious: the
// driving regions, the face box, the landmarks and a caption bar along the
// bottom edge. Shapes are clamped to the frame first; sizes scale with the
// frame so a 1080p frame reads like a 300-line one.
func annotate(m *gocv.Mat, r Request, t time.Duration) error {
	if err := analysis.ValidateBGR(*m); err != nil {
		return err
	}
	w, h := m.Cols(), m.Rows()
	bounds := image.Rect(0, 0, w, h)
	unit := float64(min(w, h)) / 300
	boxLine := max(1, int(math.Round(2*unit)))
	regionLine := max(2, int(math.Round(3*unit)))
	dot := max(1, int(math.Round(1.2*unit)))

	for _, g := range r.Regions {
		if g = g.Canon().Intersect(bounds); !g.Empty() {
			gocv.Rectangle(m, g, colourRegion, regionLine)
		}
	}
	if f := r.Face; f != nil {
		if b := f.Box.Canon().Intersect(bounds); !b.Empty() {
			gocv.Rectangle(m, b, levelColour(r.Level), boxLine)
		}
		for _, p := range f.Landmarks {
			// The negated test also drops NaN.
			if !(p.X >= 0 && p.Y >= 0 && p.X < float64(w) && p.Y < float64(h)) {
				continue
			}
			gocv.Circle(m, image.Pt(int(p.X+0.5), int(p.Y+0.5)), dot, colourLandmark, -1)
		}
	}
	drawCaption(m, r, t)
	return nil
}

// drawCaption fills a bar along the bottom of m with the time, level,
// risk, signal and reason, cut to the frame's width. OpenCV's fonts are
// ASCII only, so other characters are transliterated or replaced.
func drawCaption(m *gocv.Mat, r Request, t time.Duration) {
	w, h := m.Cols(), m.Rows()
	const font = gocv.FontHersheySimplex
	scale := min(max(float64(w)/800, 0.35), 1.2)
	thick := 1
	if scale > 0.8 {
		thick = 2
	}
	lines := []string{fmt.Sprintf("%s  %s  risk %.2f  %s", clock(t.Seconds()), strings.ToUpper(r.Level), finite(r.Risk), r.Signal)}
	if r.Reason != "" {
		lines = append(lines, r.Reason)
	}
	size, base := gocv.GetTextSizeWithBaseline("Ag", font, scale, thick)
	pad := max(3, size.Y/2)
	lineH := size.Y + base + pad
	barH := len(lines)*lineH + pad
	if barH > h/2 {
		lines, barH = lines[:1], lineH+pad
	}
	y0 := h - barH
	swatch := max(4, w/80)
	gocv.Rectangle(m, image.Rect(0, y0, w, h), colourBar, -1)
	gocv.Rectangle(m, image.Rect(0, y0, swatch, h), levelColour(r.Level), -1)
	x := swatch + pad
	for i, s := range lines {
		s = fitText(ascii(s), w-x-pad, font, scale, thick)
		org := image.Pt(x, y0+pad+i*lineH+size.Y)
		gocv.PutTextWithParams(m, s, org, font, scale, colourText, thick, gocv.LineAA, false)
	}
}

// fitText cuts s (ASCII) until it fits width pixels, marking the cut.
func fitText(s string, width int, font gocv.HersheyFont, scale float64, thick int) string {
	fits := func(s string) bool { return gocv.GetTextSize(s, font, scale, thick).X <= width }
	if fits(s) {
		return s
	}
	lo, hi := 0, len(s) // s[:lo]+"..." fits; s[:hi]+"..." may not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(s[:mid] + "...") {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return s[:lo] + "..."
}

// asciiFor spells the symbols that reasons use in ASCII.
var asciiFor = strings.NewReplacer("–", "-", "—", "-", "−", "-", "±", "+/-", "≈", "~", "×", "x", "°", " deg", "µ", "u", "’", "'", "‘", "'", "“", "\"", "”", "\"", "…", "...")

// ascii returns s with every rune OpenCV's Hershey fonts cannot draw
// replaced by '?'.
func ascii(s string) string {
	s = asciiFor.Replace(s)
	return strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, s)
}

// clock formats seconds as m:ss.s, or h:mm:ss.s from an hour on.
func clock(s float64) string {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return "?"
	}
	sign := ""
	if s < 0 {
		sign, s = "-", -s
	}
	if s >= 1e9 { // beyond any recording; keeps the integer maths exact
		return fmt.Sprintf("%s%.3g s", sign, s)
	}
	tenths := int64(math.Round(s * 10))
	h, rem := tenths/36000, tenths%36000
	m, rem := rem/600, rem%600
	if h > 0 {
		return fmt.Sprintf("%s%d:%02d:%02d.%d", sign, h, m, rem/10, rem%10)
	}
	return fmt.Sprintf("%s%d:%02d.%d", sign, m, rem/10, rem%10)
}
