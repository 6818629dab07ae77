package embed

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/models"
)

// Size is the length of a descriptor.
const Size = 128

// SamePerson is dlib's decision threshold: descriptors of one person lie
// within this Euclidean distance of each other (dlib trained the network
// with a pairwise hinge loss at 0.6 and reports 99.38% on LFW with it).
const SamePerson = 0.6

// Graph input and output names, as cmd/unmask-models writes them
// (internal/facerec).
const (
	inputName  = "rgb"
	outputName = "descriptor"
)

// Embedder turns a face, given by its 68 landmarks in a BGR image, into a
// descriptor. Embed is safe for concurrent use (calls are serialised);
// Close is idempotent.
type Embedder struct {
	mu     sync.Mutex
	net    gocv.Net
	closed bool

	// Scratch, created in Load and closed in Close.
	chip    gocv.Mat // ChipSize×ChipSize BGR aligned face
	blob    gocv.Mat // 1×3×150×150 float32 RGB network input
	pyr     [2]gocv.Mat
	forward gocv.Mat // 2x3 CV_64F chip → source mapping
}

// Load finds the face-recognition model through reg, which verifies its
// size and SHA-256, loads it (about 0.2 s for the 22 MB file, first run
// included) and runs it once on a blank chip, so a wrong file fails here
// rather than on the first face. Its errors name the command that
// generates a missing model.
//
// There is no constructor from an arbitrary path on purpose: OpenCV's
// ONNX reader aborts the process on a file it cannot parse, and gocv
// cannot catch that, so only a file whose hash the registry pins is
// handed to it.
func Load(reg *models.Registry) (*Embedder, error) {
	path, err := reg.Path(models.FaceRecognition)
	if err != nil {
		return nil, err
	}
	return load(path)
}

func load(path string) (*Embedder, error) {
	net := gocv.ReadNetFromONNX(path)
	if net.Empty() {
		net.Close()
		return nil, fmt.Errorf("%w: %s", ErrModel, path)
	}
	net.SetPreferableBackend(gocv.NetBackendOpenCV)
	net.SetPreferableTarget(gocv.NetTargetCPU)
	e := &Embedder{
		net:     net,
		chip:    gocv.NewMatWithSize(ChipSize, ChipSize, gocv.MatTypeCV8UC3),
		blob:    gocv.NewMat(),
		pyr:     [2]gocv.Mat{gocv.NewMat(), gocv.NewMat()},
		forward: gocv.NewMatWithSize(2, 3, gocv.MatTypeCV64F),
	}
	e.chip.SetTo(gocv.NewScalar(128, 128, 128, 0))
	if _, err := e.describe(); err != nil {
		e.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// Embed returns the descriptor of the face whose 68 dlib landmarks are
// given, in img (BGR, CV_8UC3): the network's 128 outputs as dlib and
// face-api return them, not L2-normalised, because SamePerson (0.6) is
// calibrated on these. Their length is about 1.4-1.6 (measured on the
// test clips), so normalising would shrink every distance by a third and
// put different people under 0.6. It does not retain img.
func (e *Embedder) Embed(img gocv.Mat, landmarks []analysis.Point) ([]float32, error) {
	if err := analysis.ValidateBGR(img); err != nil {
		return nil, err
	}
	a, err := Align(landmarks)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ErrClosed
	}
	if err := e.extract(img, a); err != nil {
		return nil, err
	}
	return e.describe()
}

// Chip copies the aligned face chip Embed would read (BGR,
// ChipSize×ChipSize) into dst, for evidence and inspection.
func (e *Embedder) Chip(img gocv.Mat, landmarks []analysis.Point, dst *gocv.Mat) error {
	if err := analysis.ValidateBGR(img); err != nil {
		return err
	}
	a, err := Align(landmarks)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if err := e.extract(img, a); err != nil {
		return err
	}
	e.chip.CopyTo(dst)
	return nil
}

// extract fills e.chip from img through a (chip → image). When one chip
// pixel spans more than two image pixels it first halves the face's
// region with a Gaussian pyramid, as dlib's extract_image_chips does, so
// bilinear sampling does not alias.
func (e *Embedder) extract(img gocv.Mat, a Affine) error {
	levels := 0
	for side := a.Scale() * ChipSize; side > 2*ChipSize; side /= 2 {
		levels++
	}
	src := img
	if levels > 0 {
		// The chip's bounding box in the image, with a margin for the
		// pyramid's filter, clipped to the image.
		margin := float64(int(4) << levels)
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, c := range [4][2]float64{{0, 0}, {ChipSize - 1, 0}, {0, ChipSize - 1}, {ChipSize - 1, ChipSize - 1}} {
			p := a.Apply(c[0], c[1])
			minX, minY = math.Min(minX, p.X), math.Min(minY, p.Y)
			maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
		}
		box := image.Rect(int(math.Floor(minX-margin)), int(math.Floor(minY-margin)),
			int(math.Ceil(maxX+margin)), int(math.Ceil(maxY+margin))).Intersect(image.Rect(0, 0, img.Cols(), img.Rows()))
		if box.Dx() < 2<<levels || box.Dy() < 2<<levels {
			return fmt.Errorf("%w: face outside the image", ErrLandmarks)
		}
		roi := img.Region(box)
		gocv.PyrDown(roi, &e.pyr[0], image.Point{}, gocv.BorderDefault)
		roi.Close()
		for l := 1; l < levels; l++ {
			gocv.PyrDown(e.pyr[(l-1)%2], &e.pyr[l%2], image.Point{}, gocv.BorderDefault)
		}
		src = e.pyr[(levels-1)%2]
		// Image → level coordinates: subtract the box origin, halve per
		// level (pyrDown's output pixel i is centred on input pixel 2i).
		f := math.Ldexp(1, -levels)
		ox, oy := float64(box.Min.X), float64(box.Min.Y)
		a = Affine{a[0] * f, a[1] * f, (a[2] - ox) * f, a[3] * f, a[4] * f, (a[5] - oy) * f}
	}
	if src.Empty() || src.Cols() < 2 || src.Rows() < 2 {
		return fmt.Errorf("%w: face region too small", ErrLandmarks)
	}
	for i, v := range a {
		e.forward.SetDoubleAt(i/3, i%3, v)
	}
	// a maps destination (chip) pixels to source pixels: WarpInverseMap.
	// Outside the image the chip is black, as in dlib's transform_image.
	gocv.WarpAffineWithParams(src, &e.chip, e.forward, image.Pt(ChipSize, ChipSize),
		gocv.InterpolationLinear|gocv.WarpInverseMap, gocv.BorderConstant, color.RGBA{})
	return nil
}

// describe runs the network on e.chip and returns the descriptor.
func (e *Embedder) describe() ([]float32, error) {
	if e.chip.Empty() || e.chip.Rows() != ChipSize || e.chip.Cols() != ChipSize || e.chip.Type() != gocv.MatTypeCV8UC3 {
		return nil, fmt.Errorf("%w: chip %dx%d type %v", analysis.ErrBadFrame, e.chip.Cols(), e.chip.Rows(), e.chip.Type())
	}
	// The graph takes RGB 0-255 and normalises inside (internal/facerec).
	gocv.BlobFromImages([]gocv.Mat{e.chip}, &e.blob, 1, image.Pt(ChipSize, ChipSize), gocv.NewScalar(0, 0, 0, 0), true, false, gocv.MatTypeCV32F)
	if e.blob.Empty() {
		return nil, fmt.Errorf("%w: empty input blob", ErrModel)
	}
	e.net.SetInput(e.blob, inputName)
	out := e.net.Forward(outputName)
	defer out.Close()
	if out.Empty() || out.Total() != Size || out.Type() != gocv.MatTypeCV32F {
		return nil, fmt.Errorf("%w: output has %d values of type %v, want %d float32", ErrModel, out.Total(), out.Type(), Size)
	}
	raw, err := out.DataPtrFloat32()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	d := make([]float32, Size)
	copy(d, raw)
	n := Norm(d)
	if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, fmt.Errorf("%w: descriptor length %v", ErrModel, n)
	}
	return d, nil
}

// Close frees the network and the scratch Mats. Close is idempotent.
func (e *Embedder) Close() error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	e.chip.Close()
	e.blob.Close()
	e.pyr[0].Close()
	e.pyr[1].Close()
	e.forward.Close()
	return e.net.Close()
}
