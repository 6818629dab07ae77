package measure

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
)

// ErrClosed is returned by Measure after Close.
var ErrClosed = errors.New("measure: measurer is closed")

// The frame's mean colour is taken on a 32x24 area-averaged copy: the same
// mean at a fraction of the cost.
const (
	smallW = 32
	smallH = 24
)

// Band widths as fractions of the face width (jaw span): the seam of a
// blended face lies within a few percent of the outline.
const (
	bandFrac     = 0.06 // inner band and ring half-width
	outerFrom    = 2.5  // outer ring from 2.5 band widths outside...
	outerTo      = 6.0  // ...to 6 band widths
	roiMargin    = 0.6  // ROI margin around the landmarks, in face widths
	minFaceWidth = 16   // px: below this no region statistic is meaningful
)

// Measurer computes analysis.Measures for a stream of frames. It keeps the
// previous gray frame (for Diff) and its scratch images. Not safe for
// concurrent use; one per stream. Close is idempotent.
type Measurer struct {
	gray, prev, diff, noise    gocv.Mat
	changed, small             gocv.Mat
	bgr, lab, rgray, lap, med  gocv.Mat
	mask, inv, inDist, outDist gocv.Mat
	dtLabels, crop, affine     gocv.Mat
	kernel                     gocv.Mat
	hasPrev, closed            bool
}

// New returns a measurer.
func New() *Measurer {
	m := &Measurer{
		gray: gocv.NewMat(), prev: gocv.NewMat(), diff: gocv.NewMat(), noise: gocv.NewMat(), changed: gocv.NewMat(),
		small: gocv.NewMat(),
		bgr:   gocv.NewMat(), lab: gocv.NewMat(), rgray: gocv.NewMat(), lap: gocv.NewMat(), med: gocv.NewMat(),
		mask: gocv.NewMat(), inv: gocv.NewMat(), inDist: gocv.NewMat(), outDist: gocv.NewMat(),
		dtLabels: gocv.NewMat(), crop: gocv.NewMat(),
		affine: gocv.NewMatWithSize(2, 3, gocv.MatTypeCV64F),
		kernel: gocv.NewMatWithSize(3, 3, gocv.MatTypeCV32F),
	}
	// Immerkær's operator: the difference of two Laplacians, blind to
	// image structure up to second order, so what remains is noise.
	k := [9]float32{1, -2, 1, -2, 4, -2, 1, -2, 1}
	for i, v := range k {
		m.kernel.SetFloatAt(i/3, i%3, v)
	}
	return m
}

// Close releases the scratch images. Close is idempotent.
func (m *Measurer) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	for _, x := range []*gocv.Mat{&m.gray, &m.prev, &m.diff, &m.noise, &m.changed, &m.small,
		&m.bgr, &m.lab, &m.rgray, &m.lap, &m.med, &m.mask, &m.inv, &m.inDist, &m.outDist,
		&m.dtLabels, &m.crop, &m.affine, &m.kernel} {
		x.Close()
	}
	return nil
}

// Reset forgets the previous frame, for a new stream or after a gap.
func (m *Measurer) Reset() { m.hasPrev = false }

// Measure computes the statistics of img, a BGR frame, with the face in r.
// It does not retain img. A frame that is not valid BGR returns an error
// wrapping analysis.ErrBadFrame.
func (m *Measurer) Measure(img gocv.Mat, r analysis.FrameResult) (*analysis.Measures, error) {
	if m.closed {
		return nil, ErrClosed
	}
	if err := analysis.ValidateBGR(img); err != nil {
		return nil, err
	}
	out := &analysis.Measures{Diff: -1, Changed: -1}
	gocv.CvtColor(img, &m.gray, gocv.ColorBGRToGray)
	w, h := m.gray.Cols(), m.gray.Rows()

	// Sensor noise: sigma = sqrt(pi/2) / (6 (W-2)(H-2)) * sum |I * N|.
	gocv.Filter2D(m.gray, &m.noise, gocv.MatTypeCV32F, m.kernel, image.Pt(-1, -1), 0, gocv.BorderReflect101)
	inner := m.noise.Region(image.Rect(1, 1, w-1, h-1))
	out.Noise = math.Sqrt(math.Pi/2) / (6 * float64((w-2)*(h-2))) * gocv.Norm(inner, gocv.NormL1)
	inner.Close()

	if m.hasPrev && m.prev.Cols() == w && m.prev.Rows() == h {
		gocv.AbsDiff(m.gray, m.prev, &m.diff)
		out.Diff = gocv.Norm(m.diff, gocv.NormL1) / float64(w*h)
		gocv.Threshold(m.diff, &m.changed, analysis.ChangeLevel, 255, gocv.ThresholdBinary)
		out.Changed = float64(gocv.CountNonZero(m.changed)) / float64(w*h)
	}

	gocv.Resize(img, &m.small, image.Pt(smallW, smallH), 0, 0, gocv.InterpolationArea)
	if bgr, err := m.small.DataPtrUint8(); err == nil {
		out.BGR = channelMeans(bgr)
	}

	if r.HasFace() && len(r.Face.Landmarks) == analysis.NumLandmarks {
		fm, err := m.face(img, r.Face.Landmarks)
		if err == nil {
			out.Face = fm
		}
	}
	// Keep this gray frame for the next Diff: swap instead of copying.
	m.prev, m.gray = m.gray, m.prev
	m.hasPrev = true
	return out, nil
}

// channelMeans is the per-channel mean of an interleaved 3-channel image.
func channelMeans(p []uint8) [3]float64 {
	var s [3]float64
	n := len(p) / 3
	for i := 0; i < n; i++ {
		s[0] += float64(p[3*i])
		s[1] += float64(p[3*i+1])
		s[2] += float64(p[3*i+2])
	}
	if n > 0 {
		for c := range s {
			s[c] /= float64(n)
		}
	}
	return s
}

var errSmallFace = errors.New("measure: face too small")

// face measures the regions around the landmark outline. m.prev holds the
// previous frame and m.gray this one.
func (m *Measurer) face(img gocv.Mat, p []analysis.Point) (*analysis.FaceMeasures, error) {
	fw := math.Hypot(p[16].X-p[0].X, p[16].Y-p[0].Y)
	if fw < minFaceWidth || math.IsNaN(fw) {
		return nil, errSmallFace
	}
	minX, minY, maxX, maxY := p[0].X, p[0].Y, p[0].X, p[0].Y
	for _, q := range p {
		minX, maxX = math.Min(minX, q.X), math.Max(maxX, q.X)
		minY, maxY = math.Min(minY, q.Y), math.Max(maxY, q.Y)
	}
	mg := roiMargin * fw
	roi := image.Rect(int(minX-mg), int(minY-mg), int(maxX+mg)+1, int(maxY+mg)+1).
		Intersect(image.Rect(0, 0, img.Cols(), img.Rows()))
	if roi.Dx() < minFaceWidth || roi.Dy() < minFaceWidth {
		return nil, errSmallFace
	}
	view := img.Region(roi)
	view.CopyTo(&m.bgr)
	view.Close()
	gocv.CvtColor(m.bgr, &m.lab, gocv.ColorBGRToLab)
	gocv.CvtColor(m.bgr, &m.rgray, gocv.ColorBGRToGray)
	gocv.Laplacian(m.rgray, &m.lap, gocv.MatTypeCV16S, 1, 1, 0, gocv.BorderDefault)
	gocv.MedianBlur(m.rgray, &m.med, 3)

	// The outline: jaw left to right, then the brows right to left.
	poly := make([]image.Point, 0, 27)
	for i := 0; i <= 16; i++ {
		poly = append(poly, image.Pt(int(math.Round(p[i].X))-roi.Min.X, int(math.Round(p[i].Y))-roi.Min.Y))
	}
	for i := 26; i >= 17; i-- {
		poly = append(poly, image.Pt(int(math.Round(p[i].X))-roi.Min.X, int(math.Round(p[i].Y))-roi.Min.Y))
	}
	rw, rh := roi.Dx(), roi.Dy()
	if m.mask.Rows() != rh || m.mask.Cols() != rw || m.mask.Type() != gocv.MatTypeCV8U {
		m.mask.Close()
		m.mask = gocv.NewMatWithSize(rh, rw, gocv.MatTypeCV8U)
	}
	m.mask.SetTo(gocv.NewScalar(0, 0, 0, 0))
	pv := gocv.NewPointsVectorFromPoints([][]image.Point{poly})
	gocv.FillPoly(&m.mask, pv, color.RGBA{255, 255, 255, 255})
	pv.Close()
	gocv.DistanceTransform(m.mask, &m.inDist, &m.dtLabels, gocv.DistL2, gocv.DistanceMask3, gocv.DistanceLabelCComp)
	gocv.BitwiseNot(m.mask, &m.inv)
	gocv.DistanceTransform(m.inv, &m.outDist, &m.dtLabels, gocv.DistL2, gocv.DistanceMask3, gocv.DistanceLabelCComp)

	bgr, err1 := m.bgr.DataPtrUint8()
	lab, err2 := m.lab.DataPtrUint8()
	gray, err3 := m.rgray.DataPtrUint8()
	med, err4 := m.med.DataPtrUint8()
	lap, err5 := m.lap.DataPtrInt16()
	in, err6 := m.inDist.DataPtrFloat32()
	outd, err7 := m.outDist.DataPtrFloat32()
	if err := errors.Join(err1, err2, err3, err4, err5, err6, err7); err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	n := rw * rh
	if len(bgr) < 3*n || len(lab) < 3*n || len(gray) < n || len(med) < n || len(lap) < n || len(in) < n || len(outd) < n {
		return nil, fmt.Errorf("measure: scratch images smaller than the face region")
	}

	band := math.Max(2, bandFrac*fw)
	chinY := p[8].Y - float64(roi.Min.Y)
	neckL, neckR := p[5].X-float64(roi.Min.X), p[11].X-float64(roi.Min.X)
	iod := math.Hypot(analysis.EyeCentre(p, 42).X-analysis.EyeCentre(p, 36).X, analysis.EyeCentre(p, 42).Y-analysis.EyeCentre(p, 36).Y)
	eyeBoxes := [2]image.Rectangle{eyeBox(p, 36, iod, roi.Min), eyeBox(p, 42, iod, roi.Min)}
	cx, cy := (minX+maxX)/2-float64(roi.Min.X), (minY+maxY)/2-float64(roi.Min.Y)

	var acc [analysis.NumRegions]regionAcc
	var shade, scene planeAcc
	ox, oy := roi.Min.X, roi.Min.Y
	for y := 0; y < rh; y++ {
		for x := 0; x < rw; x++ {
			i := y*rw + x
			region := -1
			switch d := float64(in[i]); {
			case d > band:
				region = analysis.RegionInterior
			case d > 0:
				region = analysis.RegionInnerBand
			default:
				switch o := float64(outd[i]); {
				case o <= band:
					region = analysis.RegionRing
				case o > outerFrom*band && o <= outerTo*band:
					region = analysis.RegionOuter
				}
				fy, fx := float64(y), float64(x)
				if fy > chinY+0.05*fw && fy < chinY+0.5*fw && fx > neckL && fx < neckR {
					region = analysis.RegionNeck
				}
			}
			eye := -1
			if in[i] > 0 && (image.Pt(x, y).In(eyeBoxes[0]) || image.Pt(x, y).In(eyeBoxes[1])) {
				eye = analysis.RegionEyes
			}
			if region < 0 && eye < 0 {
				continue
			}
			g := gray[i]
			res := math.Abs(float64(g) - float64(med[i]))
			l := float64(lap[i])
			// Steps across the 8-pixel codec grid of the whole frame.
			var hStep, vStep float64 = -1, -1
			if x+1 < rw {
				hStep = math.Abs(float64(gray[i+1]) - float64(g))
			}
			if y+1 < rh {
				vStep = math.Abs(float64(gray[i+rw]) - float64(g))
			}
			hGrid, vGrid := (ox+x)%8 == 7, (oy+y)%8 == 7
			for _, rg := range [2]int{region, eye} {
				if rg < 0 {
					continue
				}
				a := &acc[rg]
				a.n++
				a.lab[0] += float64(lab[3*i])
				a.lab[1] += float64(lab[3*i+1])
				a.lab[2] += float64(lab[3*i+2])
				a.bgr[0] += float64(bgr[3*i])
				a.bgr[1] += float64(bgr[3*i+1])
				a.bgr[2] += float64(bgr[3*i+2])
				a.lap += l
				a.lap2 += l * l
				a.res += res
				a.step(hStep, hGrid)
				a.step(vStep, vGrid)
			}
			u, v := (float64(x)-cx)/fw, (float64(y)-cy)/fw
			switch region {
			case analysis.RegionInterior:
				shade.add(u, v, float64(lab[3*i]))
			case analysis.RegionOuter:
				scene.add(u, v, float64(lab[3*i]))
			}
		}
	}
	fm := &analysis.FaceMeasures{Shade: shade.gradient(), SceneShade: scene.gradient()}
	for r := range acc {
		fm.Regions[r] = acc[r].stats()
	}
	if crop, err := m.align(p); err == nil {
		fm.Crop = crop
	}
	return fm, nil
}

// align warps this frame's gray image (m.gray) so that the eye and mouth
// centres land on the canonical crop positions.
func (m *Measurer) align(p []analysis.Point) ([]uint8, error) {
	src := [3]analysis.Point{analysis.EyeCentre(p, 36), analysis.EyeCentre(p, 42), analysis.MouthCentre(p)}
	dst := [3]analysis.Point{
		{X: analysis.CropEyeL, Y: analysis.CropEyeY},
		{X: analysis.CropEyeR, Y: analysis.CropEyeY},
		{X: analysis.CropSize / 2, Y: analysis.CropMouthY},
	}
	a, b, tx, ty, ok := analysis.FitSimilarity(src[:], dst[:])
	if !ok {
		return nil, errSmallFace
	}
	m.affine.SetDoubleAt(0, 0, a)
	m.affine.SetDoubleAt(0, 1, -b)
	m.affine.SetDoubleAt(0, 2, tx)
	m.affine.SetDoubleAt(1, 0, b)
	m.affine.SetDoubleAt(1, 1, a)
	m.affine.SetDoubleAt(1, 2, ty)
	gocv.WarpAffineWithParams(m.gray, &m.crop, m.affine, image.Pt(analysis.CropSize, analysis.CropSize),
		gocv.InterpolationLinear, gocv.BorderReplicate, color.RGBA{})
	d, err := m.crop.DataPtrUint8()
	if err != nil || len(d) != analysis.CropSize*analysis.CropSize {
		return nil, fmt.Errorf("measure: crop: %v", err)
	}
	return append([]uint8(nil), d...), nil
}

// eyeBox is the box around one eye's six points grown by a third of the
// interocular distance: lids, lashes and glasses rims.
func eyeBox(p []analysis.Point, from int, iod float64, origin image.Point) image.Rectangle {
	c := analysis.EyeCentre(p, from)
	r := iod * 0.35
	return image.Rect(int(c.X-r), int(c.Y-r*0.7), int(c.X+r), int(c.Y+r*0.7)).Sub(origin)
}

type regionAcc struct {
	n              int
	lab, bgr       [3]float64
	lap, lap2, res float64
	grid, off      float64
	gridN, offN    int
}

func (a *regionAcc) step(s float64, onGrid bool) {
	if s < 0 {
		return
	}
	if onGrid {
		a.grid += s
		a.gridN++
	} else {
		a.off += s
		a.offN++
	}
}

func (a *regionAcc) stats() analysis.RegionStats {
	if a.n == 0 {
		return analysis.RegionStats{}
	}
	n := float64(a.n)
	s := analysis.RegionStats{Pixels: a.n, Block: 1}
	for c := range s.Lab {
		s.Lab[c] = a.lab[c] / n
		s.BGR[c] = a.bgr[c] / n
	}
	mean := a.lap / n
	s.Sharp = math.Max(0, a.lap2/n-mean*mean)
	s.Noise = a.res / n
	if a.gridN > 0 && a.offN > 0 && a.off > 0 {
		s.Block = (a.grid / float64(a.gridN)) / (a.off / float64(a.offN))
	}
	return s
}

// planeAcc fits L = c0 + c1·u + c2·v by least squares.
type planeAcc struct {
	n, su, sv, suu, suv, svv, sl, sul, svl float64
}

func (p *planeAcc) add(u, v, l float64) {
	p.n++
	p.su += u
	p.sv += v
	p.suu += u * u
	p.suv += u * v
	p.svv += v * v
	p.sl += l
	p.sul += u * l
	p.svl += v * l
}

// gradient returns (c1, c2)/mean L: the relative change of brightness per
// face width, horizontally and vertically; zero when underdetermined.
func (p *planeAcc) gradient() [2]float64 {
	if p.n < 10 {
		return [2]float64{}
	}
	mu, mv, ml := p.su/p.n, p.sv/p.n, p.sl/p.n
	cuu, cuv, cvv := p.suu/p.n-mu*mu, p.suv/p.n-mu*mv, p.svv/p.n-mv*mv
	cul, cvl := p.sul/p.n-mu*ml, p.svl/p.n-mv*ml
	det := cuu*cvv - cuv*cuv
	if math.Abs(det) < 1e-12 || ml < 1 {
		return [2]float64{}
	}
	c1 := (cul*cvv - cvl*cuv) / det
	c2 := (cvl*cuu - cul*cuv) / det
	return [2]float64{c1 / ml, c2 / ml}
}
