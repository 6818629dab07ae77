// Package ivf reads IVF files (https://wiki.multimedia.cx/index.php/IVF, as
// written by libvpx, FFmpeg, pion's ivfwriter and package record) and
// replays them through a codec's decoder as a source of analysis frames.
// Packages vp8 and h264 build their OpenIVF on it: the file layout, the
// handling of a file cut by a crash, the clock and the frame-rate estimate
// are the same for every codec; only the fourcc, the decoder and how the
// first frame tells its picture size differ (Codec).
//
// Hostile input: a frame record larger than Codec.MaxFrameSize is skipped
// unread, so a damaged size field never makes the reader allocate for it;
// a size larger than what is left of the file is a truncated file, not an
// error.
//
// Ownership: Source.Frames sends each picture in a new Mat that the
// receiver owns and must Close; it closes the one it holds when its context
// ends.
//
// Concurrency: Frames must be called from one goroutine. Info, Stats and
// Close are safe for concurrent use; Close waits for a decode in progress
// and is idempotent. A Reader serves one goroutine.
package ivf
