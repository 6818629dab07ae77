// Package report turns an analysis into what a reviewer keeps: the
// evidence of every window that reached medium or high risk, and the
// report over the whole input.
//
// Extract decodes a video file once, in order, up to the last requested
// frame, and saves per request the plain frame and an annotated copy (face
// box in the level's colour, landmarks, the regions that drove the score,
// a caption) as PNG, the window's metrics as JSON and, through the ffmpeg
// program, an H.264 clip of about ±2 s. Write renders a Document as
// report.json and as report.html, a single page that loads nothing from
// anywhere: inline styles, the timeline as inline SVG, the annotated
// frames as small JPEG data URIs.
//
// Every file goes through an evidence.Dir, so it is written atomically,
// never overwrites another and is hashed into the manifest that the
// caller writes with Dir.Finish once everything is saved.
//
// Ownership: Extract owns every Mat it creates and closes them all before
// it returns; the Requests, the Document and the Faces are only read.
// Concurrency: the functions keep no state between calls and may run at
// the same time on different directories; calls that write the same
// file names into one Dir fail with evidence.ErrExists instead of
// overwriting.
package report
