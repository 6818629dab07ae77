// Package idsynth renders the synthetic identity documents that the ID
// check is tested and evaluated on: a card or passport data page built from
// a real face image, printed text and a machine readable zone in OCR-B,
// then filmed-looking and manipulated variants of it (perspective, blur,
// glare, a screen replay, a pasted portrait).
//
// Everything is deterministic for a given seed, so a test failure can be
// reproduced. Nothing here is used at run time by the product: the
// package exists so that tests and `unmask idcheck` evaluations exercise
// the real detection code on documents whose truth is known.
//
// Ownership: functions that take a gocv.Mat do not retain it; Mats they
// return belong to the caller, who closes them.
package idsynth
