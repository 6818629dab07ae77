// Package video is the file source of the analysis engine: it probes a
// recording with ffprobe (Probe), then decodes its frames with OpenCV's
// FFmpeg backend (OpenFile, FileSource) into analysis.Frame values.
//
// Probe rejects what the engine cannot analyse before any decoding starts,
// with errors that callers can test with errors.Is (ErrNotFound, ErrEmpty,
// ErrNotVideo, ErrTooSmall, ErrTooLarge, ErrNoFFprobe). Its ffprobe run is
// bounded in time (ProbeTimeout) and output.
//
// Ownership: FileSource.Read decodes into the caller's Mat, which the caller
// keeps and reuses, so reading allocates nothing per frame.
// FileSource.Frames allocates a new Mat for every frame and hands it to the
// receiver, which must Close it; Frames closes the frame it holds when the
// context ends. Every frame returned has passed analysis.ValidateBGR and has
// the size of the first frame; any other frame is reported as
// analysis.ErrBadFrame and never handed on.
//
// Concurrency: a FileSource decodes one frame at a time; Read and Frames
// must be called from one goroutine. Info, Stats and Close are safe for
// concurrent use; Close waits for a decode in progress and is idempotent.
//
// Logging: importing this package sets OpenCV's log level to ERROR and
// OPENCV_FFMPEG_LOGLEVEL=-8 (FFmpeg's AV_LOG_QUIET), unless the environment
// already sets OPENCV_LOG_LEVEL or OPENCV_FFMPEG_LOGLEVEL, so damaged files
// do not flood stderr (see logging.go). Decoding problems are reported
// through errors and Stats instead.
package video
