package models

// Registry names used by the engine.
const (
	Landmarks68 = "landmarks68"
	HaarFrontal = "haar-frontal-alt2"
	HaarDefault = "haar-frontal-default"
	HaarProfile = "haar-profile"
	LBPFrontal  = "lbp-frontal-improved"
	MeanFace3D  = "mean-face-3d"
	Fusion      = "fusion"
)

const (
	haarDir = "/usr/share/opencv4/haarcascades/"
	lbpDir  = "/usr/share/opencv4/lbpcascades/"
	// OpenCV's cascades carry the Intel License Agreement For Open Source
	// Computer Vision Library (a BSD-style licence) in each file's header.
	intelLicence = "Intel License Agreement for OpenCV (BSD-style), see the file header"
)

// Known lists every model Unmask may load. Sizes and hashes are those of
// Debian 12's packages (opencv-data 4.6.0, libdlib-data 19.24); another
// build of the same file fails verification and says which package to
// reinstall, rather than silently changing results.
var Known = []Model{
	{
		Name:    Landmarks68,
		File:    "shape_predictor_68_face_landmarks.dat",
		Purpose: "dlib 68-point facial landmarks (ensemble of regression trees, iBUG 300-W markup)",
		Size:    99693937,
		SHA256:  "fbdc2cb80eb9aa7a758672cbfdda32ba6300efe9b6e6c7a299ff7e736b11b92f",
		Licence: "CC0-1.0 per Debian's copyright file; trained on iBUG 300-W, whose images carry their own terms",
		Package: "libdlib-data",
		Brew:    "",
		SystemPaths: []string{
			"/usr/share/dlib/shape_predictor_68_face_landmarks.dat",
			"/usr/local/share/dlib/shape_predictor_68_face_landmarks.dat",
		},
	},
	{
		Name:        HaarFrontal,
		File:        "haarcascade_frontalface_alt2.xml",
		Purpose:     "frontal face detection (Viola-Jones, Lienhart's alt2 tree cascade)",
		Size:        540616,
		SHA256:      "7b0c967d9abbdfbde025eb9c786947d151b6426040d07a8f9562ed8fd90724b4",
		Licence:     intelLicence,
		Package:     "opencv-data",
		Brew:        "opencv",
		SystemPaths: []string{haarDir + "haarcascade_frontalface_alt2.xml", "/usr/local/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml", "/opt/homebrew/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"},
	},
	{
		Name:        LBPFrontal,
		File:        "lbpcascade_frontalface_improved.xml",
		Purpose:     "frontal face detection (LBP cascade), compared in the recall measurement",
		Size:        54039,
		SHA256:      "7c31331d494f20e216b397ad99d824d92ab91ebb15db3bcda6a2f8e684d238d3",
		Licence:     intelLicence,
		Package:     "opencv-data",
		Brew:        "opencv",
		SystemPaths: []string{lbpDir + "lbpcascade_frontalface_improved.xml", "/usr/local/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml", "/opt/homebrew/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml"},
	},
	{
		Name:    MeanFace3D,
		File:    "mean_face_3d.json",
		Purpose: "3D mean face (12 landmarks, mm) for head pose by solvePnP",
		Size:    1700,
		SHA256:  "2af4b68e936a4b8ba4f4a6ad2b4c16a69a7771d653badb93b0f3efc4cd0f4293",
		Licence: "Unmask project file (same licence as the code)",
		Package: "bundled",
	},
	{
		Name:    Fusion,
		File:    "fusion.json",
		Purpose: "risk fusion weights and level thresholds, fitted by `unmask fit` on the labelled corpus",
		Size:    270,
		SHA256:  "59280606a804bceadc8d72b08713471cb2e6680d454322519c04beaf58dc403f",
		Licence: "Unmask project file (same licence as the code)",
		Package: "bundled",
	},
}
