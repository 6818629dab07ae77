package analysis

// Region names index FaceMeasures.Regions. The bands follow the face's
// landmark outline (jaw and brows): blending seams of face swaps sit on it.
const (
	RegionInterior  = iota // inside the outline, away from its edge
	RegionInnerBand        // the inner side of the outline
	RegionRing             // the outer side of the outline: hair, ears, cheek edge, background
	RegionOuter            // a wider ring farther out: the scene around the head
	RegionNeck             // below the chin
	RegionEyes             // boxes around both eyes
	NumRegions
)

// RegionNames are the report names of the regions, in index order.
var RegionNames = [NumRegions]string{"interior", "inner_band", "ring", "outer", "neck", "eyes"}

// RegionStats are pixel statistics of one region of one frame.
type RegionStats struct {
	Pixels int
	// Lab is the mean colour in OpenCV's 8-bit CIELAB (L 0-255, a and b
	// offset by 128); BGR the mean of the camera's own (gamma-encoded)
	// values, in which a change of light or exposure multiplies every
	// surface alike.
	Lab [3]float64
	BGR [3]float64
	// Sharp is the variance of the Laplacian (Pech-Pacheco et al. 2000).
	Sharp float64
	// Noise is the mean absolute residual of the image minus its 3x3
	// median: sensor noise and fine texture.
	Noise float64
	// Block is the mean absolute step across the 8-pixel grid of block
	// codecs over the mean step elsewhere; 1 means no visible blocks.
	Block float64
}

// FaceMeasures are pixel statistics of the face and its surroundings.
type FaceMeasures struct {
	Regions [NumRegions]RegionStats
	// Shade and SceneShade are the luminance gradient (per face width,
	// over the mean) fitted as a plane over the interior and over the
	// outer ring: where the light comes from, seen on the face and on the
	// scene.
	Shade, SceneShade [2]float64
	// Crop is the face aligned by a similarity on eyes and mouth into a
	// CropSize x CropSize gray image, face centred with its surroundings.
	Crop []uint8
}

// CropSize is the side of FaceMeasures.Crop; the eye centres land on
// (CropEyeL, CropEyeY) and (CropEyeR, CropEyeY), the mouth centre on
// (CropSize/2, CropMouthY).
const (
	CropSize   = 64
	CropEyeL   = 24
	CropEyeR   = 40
	CropEyeY   = 26
	CropMouthY = 41
)

// ChangeLevel is the gray-level step that counts as a changed pixel.
const ChangeLevel = 6

// Measures are per-frame pixel statistics computed once for all signals,
// so that signals keep plain values between frames and never hold images.
type Measures struct {
	// BGR is the mean colour of the whole frame.
	BGR [3]float64
	// Noise is the sensor noise sigma of the gray frame (Immerkær, "Fast
	// noise variance estimation", CVIU 1996).
	Noise float64
	// Diff is the mean absolute gray difference to the previous frame; -1
	// on the first frame.
	Diff float64
	// Changed is the fraction of pixels whose gray level moved by more
	// than ChangeLevel since the previous frame; -1 on the first frame.
	// Codec residue of a re-encoded repeat stays under it, motion does not.
	Changed float64
	// Face is nil when the frame has no face with landmarks.
	Face *FaceMeasures
}
