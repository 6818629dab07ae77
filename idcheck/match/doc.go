// Package match decides whether the portrait printed on an identity
// document shows the person on camera.
//
// A Matcher finds faces in a region of an image (HOG detection on the
// region scaled so a portrait face is large enough, dlib's 68 landmarks)
// and describes each with dlib's ResNet face descriptor (analysis/embed).
// Decide compares the portrait's descriptor with the live face's over
// several good frames: the median Euclidean distance, so one bad frame
// (a blink, motion blur, a turned head) neither makes nor breaks a match.
//
// The threshold is not dlib's 0.6 for photographs of equal quality: a
// document portrait has been printed, filmed at 50-100 px, rectified and
// recompressed, which moves a person's own descriptor further away.
// Threshold comes from the pairs evaluation in match_test.go (portraits
// put through that degradation against live frames of the same and of
// different people; docs/IDCHECK.md gives the false accept and false
// reject rates).
//
// Concurrency: a Matcher owns scratch Mats and a detector and is not safe
// for concurrent use; the landmark model and embedder it is given are
// shared and outlive it. Close is idempotent and does not close them.
package match
