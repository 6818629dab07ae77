// Package mrz reads and validates the machine readable zone (MRZ) of the
// identity document a candidate holds up to the camera, from the text an
// OCR engine produced for the frame.
//
// Normalize cleans OCR text into candidate lines, Parse reads exact lines
// into a Result, and Find does both and repairs the OCR confusions that
// the format makes unambiguous. A Result lists every check digit with the
// digit printed and the digit computed, so a reviewer sees which part of a
// document disagrees with itself; Fields lays it out for display.
//
// The rules come from ICAO Doc 9303 (Machine Readable Travel Documents).
// Positions below are the specification's, 1-based.
//
// Part 3 (common to all MRTDs): the character set A–Z, 0–9 and the filler
// '<'; dates as YYMMDD; the name as primary identifier, "<<", secondary
// identifier, with '<' between name components; and the check digit:
// character values (digits as themselves, A–Z as 10–35, '<' as 0) times
// the weights 7, 3, 1 repeated, summed, modulo 10.
//
// Part 4, TD3 (passports, 2 lines of 44). Upper line: 1–2 document code,
// 3–5 issuing state, 6–44 name. Lower line: 1–9 passport number, 10 check
// digit, 11–13 nationality, 14–19 date of birth, 20 check digit, 21 sex,
// 22–27 date of expiry, 28 check digit, 29–42 personal number, 43 check
// digit ('<' allowed when the personal number is all fillers), 44
// composite check digit over 1–10, 14–20 and 22–43.
//
// Part 5, TD1 (ID cards, 3 lines of 30). Upper line: 1–2 document code,
// 3–5 issuing state, 6–14 document number, 15 check digit, 16–30 optional
// data. Middle line: 1–6 date of birth, 7 check digit, 8 sex, 9–14 date of
// expiry, 15 check digit, 16–18 nationality, 19–29 optional data, 30
// composite check digit over upper 6–30 and middle 1–7, 9–15 and 19–29.
// Lower line: 1–30 name.
//
// Part 6, TD2 (2 lines of 36). Upper line: 1–2 document code, 3–5 issuing
// state, 6–36 name. Lower line: 1–9 document number, 10 check digit, 11–13
// nationality, 14–19 date of birth, 20 check digit, 21 sex, 22–27 date of
// expiry, 28 check digit, 29–35 optional data, 36 composite check digit
// over 1–10, 14–20 and 22–35.
//
// Parts 5 and 6 also let a document number run past nine characters: a
// filler replaces its check digit, and the rest of the number opens the
// optional data field, followed by its check digit. Parse reads such
// numbers whole. Machine readable visas (part 7) are refused.
//
// Two-digit years are resolved against a time the caller passes: a birth
// date is the latest one not after it, an expiry date lies at most 20
// years after it.
//
// Ownership and concurrency: every function is pure, retains nothing it is
// given, and is safe for concurrent use. Work is bounded: Normalize is
// linear in the text and drops a line as soon as it is too long to be a
// candidate, and Find spends a few microseconds per candidate group.
// Errors wrap ErrFormat, ErrCharset and ErrNotFound (errors.go); nothing
// panics.
package mrz
