// Package analysis holds the engine's domain types: frames, faces, head pose
// and the per-frame track record. It never imports the UI, Wails or the
// frontend; sources, stages and sinks live in its sub-packages.
//
// Ownership: a Frame owns its Mat. Sending a Frame on a channel hands it over;
// whoever drops it calls Close. Everything else here is plain Go values, so
// results can be kept between frames and serialised without touching OpenCV.
package analysis
