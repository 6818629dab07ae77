package face

// Haar → dlib box mapping, measured on the real clips (median over frames
// where both detectors fire; see TestHaarToDlibCalibration).
const (
	haarScale  = 0.92
	haarShiftY = 0.10
)

// Measured 2026-11-23 over 288 frames of franck, cap12 and cap13: dlib's
// box is 0.920 of the Haar box's width and its centre sits 0.103 of the
// Haar box's height lower (Haar boxes include more forehead).
