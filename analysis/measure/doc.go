// Package measure turns a frame and its face into the plain pixel
// statistics the signals read (analysis.Measures): colour, sharpness,
// noise and codec blockiness inside the face outline, on bands either
// side of it and in the scene around it; light direction on the face and
// on the scene; a face-aligned gray crop; and whole-frame noise, change
// and mean colour.
//
// Measuring once per frame lets every signal keep plain Go values between
// frames and never hold a Mat. A Measurer owns its scratch images and the
// previous gray frame; it is used by one goroutine, and Close releases it.
package measure
