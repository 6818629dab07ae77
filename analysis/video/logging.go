package video

/*
#cgo CXXFLAGS: -std=c++11
#cgo pkg-config: opencv4
#include "opencvlog.h"
*/
import "C"

import "os"

// Importing this package quiets OpenCV and its FFmpeg backend, unless the
// environment already configures them. Measured with OpenCV 4.6 and FFmpeg
// 5.1 (Debian 12); logging_test.go checks it in a fresh child process.
//
// OpenCV's own "[ WARN:0@...]" lines (the GStreamer backend prints several
// for a file it cannot open; the FFmpeg backend we use prints none itself):
// OpenCV reads OPENCV_LOG_LEVEL before any Go code runs (measured: the
// variable works when set before the process starts, and has no effect when
// set from init), so init calls
// cv::utils::logging::setLogLevel(LOG_LEVEL_ERROR) instead (opencvlog.cpp).
//
// FFmpeg's messages: unset, OPENCV_FFMPEG_LOGLEVEL leaves FFmpeg at
// AV_LOG_ERROR writing to stderr, and a truncated H.264 file prints "Invalid
// NAL unit size", "partial file", "Error splitting the input into NAL units"
// and the like, one line per damaged packet. Set to any level >= 0, OpenCV
// installs a callback that printf's FFmpeg's messages to stdout, where they
// would corrupt the CLI's JSON output. Only -8 (AV_LOG_QUIET) silences
// FFmpeg. The FFmpeg backend reads this variable when it first opens a file,
// so setting it in init works (with cgo, os.Setenv updates the C
// environment too).
//
// A developer who wants everything runs with OPENCV_LOG_LEVEL=INFO
// OPENCV_FFMPEG_LOGLEVEL=24; values already set are left alone.
const (
	envLogLevel       = "OPENCV_LOG_LEVEL"
	envFFmpegLogLevel = "OPENCV_FFMPEG_LOGLEVEL"
)

func init() {
	if _, ok := os.LookupEnv(envLogLevel); !ok {
		C.um_video_opencv_log_errors_only()
	}
	if _, ok := os.LookupEnv(envFFmpegLogLevel); !ok {
		// Setenv fails only for malformed keys; this one is a constant.
		_ = os.Setenv(envFFmpegLogLevel, "-8")
	}
}
