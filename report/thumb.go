package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/unmaskhq/unmask/analysis"
)

// Thumbnail size and quality: 360 px shows a face well enough to
// recognise the marks while a report with dozens of cards stays small.
const (
	thumbWidth   = 360
	thumbQuality = 80
	// maxThumbSource bounds the PNG read for a thumbnail; a lossless
	// 8192x8192 frame is well under it.
	maxThumbSource = 256 << 20
)

// localRef returns rel if it names a file below the output directory,
// so that links and reads never leave it.
func localRef(rel string) (string, bool) {
	if rel == "" || strings.ContainsAny(rel, ":\\") || !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.ToSlash(filepath.Clean(rel)), true
}

// thumbnail reads the PNG rel in dir and returns it downscaled to at most
// thumbWidth wide as a JPEG data URI.
func thumbnail(dir, rel string) (template.URL, error) {
	ref, ok := localRef(rel)
	if !ok {
		return "", fmt.Errorf("%q: %w", rel, errBadName)
	}
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(ref)))
	if err != nil {
		return "", err
	}
	defer f.Close()
	r := io.LimitReader(f, maxThumbSource)
	cfg, err := png.DecodeConfig(r)
	if err != nil {
		return "", fmt.Errorf("%s: %w", ref, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > analysis.MaxFrameSide || cfg.Height > analysis.MaxFrameSide {
		return "", fmt.Errorf("%s: %dx%d: %w", ref, cfg.Width, cfg.Height, errTooLarge)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	img, err := png.Decode(io.LimitReader(f, maxThumbSource))
	if err != nil {
		return "", fmt.Errorf("%s: %w", ref, err)
	}
	var buf bytes.Buffer
	buf.WriteString("data:image/jpeg;base64,")
	enc := base64.NewEncoder(base64.StdEncoding, &buf)
	if err := jpeg.Encode(enc, shrink(img, thumbWidth), &jpeg.Options{Quality: thumbQuality}); err != nil {
		return "", err
	}
	enc.Close()
	// The URI is built here from base64 only, so it is safe as a src.
	return template.URL(buf.String()), nil
}

// shrink returns img scaled to at most width pixels wide by averaging the
// source pixels under each output pixel (a box filter), which keeps thin
// drawn lines visible where point sampling would drop them.
func shrink(img image.Image, width int) image.Image {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw <= width {
		return img
	}
	src, ok := img.(*image.RGBA)
	if !ok || src.Bounds().Min != (image.Point{}) {
		src = image.NewRGBA(image.Rect(0, 0, sw, sh))
		draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	}
	dw, dh := width, max(1, (sh*width+sw/2)/sw)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy := range dh {
		y0, y1 := dy*sh/dh, max((dy+1)*sh/dh, dy*sh/dh+1)
		for dx := range dw {
			x0, x1 := dx*sw/dw, max((dx+1)*sw/dw, dx*sw/dw+1)
			var r, g, bl, a, n uint32
			for y := y0; y < y1; y++ {
				row := src.Pix[y*src.Stride+x0*4 : y*src.Stride+x1*4]
				for i := 0; i < len(row); i += 4 {
					r += uint32(row[i])
					g += uint32(row[i+1])
					bl += uint32(row[i+2])
					a += uint32(row[i+3])
					n++
				}
			}
			o := dy*dst.Stride + dx*4
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(bl/n), uint8(a/n)
		}
	}
	return dst
}
