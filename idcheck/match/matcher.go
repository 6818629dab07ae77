package match

import (
	"fmt"
	"image"
	"sort"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/embed"
	"github.com/unmaskhq/unmask/analysis/face"
)

// MinFaceWidth is the narrowest face, in pixels of the image given, that
// is described. Below about 30 px dlib's landmarks on a portrait stop
// finding the eyes, and the descriptor drifts with every pixel of blur.
const MinFaceWidth = 30

// detectWidth is the width the region is scaled up to before detection:
// dlib's HOG window is 80 px, so a portrait face of 40-60 px in a filmed
// card would otherwise be missed.
const detectWidth = 480

// Face is one face found in an image, described.
type Face struct {
	Box        image.Rectangle // in the coordinates of the image given
	Landmarks  []analysis.Point
	Descriptor []float32
}

// Matcher finds and describes faces; see the package comment.
type Matcher struct {
	det *face.HOGDetector
	lm  *face.Landmarker
	emb *embed.Embedder

	crop, scaled, gray gocv.Mat
	closed             bool
}

// New returns a Matcher over the shared landmark model and embedder,
// which it does not close.
func New(lm *face.Landmarker, emb *embed.Embedder) (*Matcher, error) {
	if lm == nil || emb == nil {
		return nil, fmt.Errorf("match: need the landmark model and the embedder")
	}
	det, err := face.NewHOGDetector(0)
	if err != nil {
		return nil, err
	}
	return &Matcher{det: det, lm: lm, emb: emb, crop: gocv.NewMat(), scaled: gocv.NewMat(), gray: gocv.NewMat()}, nil
}

// Faces returns the faces in region of img (BGR), largest first, each with
// its landmarks and descriptor in img's coordinates. An empty region means
// the whole image. Faces narrower than MinFaceWidth are left out; when
// that leaves none, the error is ErrFaceTooSmall, when none was found at
// all, ErrNoFace. It does not retain img.
func (m *Matcher) Faces(img gocv.Mat, region image.Rectangle) ([]Face, error) {
	if m.closed {
		return nil, ErrClosed
	}
	if err := analysis.ValidateBGR(img); err != nil {
		return nil, err
	}
	bounds := image.Rect(0, 0, img.Cols(), img.Rows())
	if region.Empty() {
		region = bounds
	}
	region = region.Intersect(bounds)
	if region.Dx() < analysis.MinFrameSide || region.Dy() < analysis.MinFrameSide {
		return nil, fmt.Errorf("%w: region %v", ErrNoFace, region)
	}
	roi := img.Region(region)
	roi.CopyTo(&m.crop)
	roi.Close()
	scale := 1.0
	if region.Dx() < detectWidth {
		scale = float64(detectWidth) / float64(region.Dx())
		gocv.Resize(m.crop, &m.scaled, image.Point{}, scale, scale, gocv.InterpolationCubic)
	} else {
		m.crop.CopyTo(&m.scaled)
	}
	gocv.CvtColor(m.scaled, &m.gray, gocv.ColorBGRToGray)
	dets, err := m.det.Detect(m.gray)
	if err != nil {
		return nil, err
	}
	if len(dets) == 0 {
		return nil, ErrNoFace
	}
	sort.Slice(dets, func(i, j int) bool { return area(dets[i].Box) > area(dets[j].Box) })
	var out []Face
	for _, d := range dets {
		if float64(d.Box.Dx())/scale < MinFaceWidth {
			continue
		}
		pts, err := m.lm.Predict(m.gray, d.Box)
		if err != nil {
			return nil, err
		}
		desc, err := m.emb.Embed(m.scaled, pts)
		if err != nil {
			continue // degenerate landmarks: not a face worth describing
		}
		f := Face{Descriptor: desc, Landmarks: make([]analysis.Point, len(pts))}
		for i, p := range pts {
			f.Landmarks[i] = analysis.Point{X: p.X/scale + float64(region.Min.X), Y: p.Y/scale + float64(region.Min.Y)}
		}
		f.Box = image.Rect(
			region.Min.X+int(float64(d.Box.Min.X)/scale), region.Min.Y+int(float64(d.Box.Min.Y)/scale),
			region.Min.X+int(float64(d.Box.Max.X)/scale), region.Min.Y+int(float64(d.Box.Max.Y)/scale))
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, ErrFaceTooSmall
	}
	return out, nil
}

// Largest returns the largest face in region of img; see Faces.
func (m *Matcher) Largest(img gocv.Mat, region image.Rectangle) (Face, error) {
	fs, err := m.Faces(img, region)
	if err != nil {
		return Face{}, err
	}
	return fs[0], nil
}

// Close frees the detector and scratch images. Close is idempotent.
func (m *Matcher) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	m.crop.Close()
	m.scaled.Close()
	m.gray.Close()
	return m.det.Close()
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }
