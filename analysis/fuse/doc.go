// Package fuse turns the signals' window scores into a risk, a level and
// ranked reasons (Fuse), keeps the timeline of windows as frames arrive
// (Timeline), and reduces a timeline to the verdict over a whole input
// (Summarise). The rule is a noisy-OR of weighted scores whose weights and
// level thresholds live in models/fusion.json and are fitted by
// `unmask fit` on the labelled corpus (docs/DETECTION.md).
//
// Pure Go, no images. A Timeline is used by one goroutine.
package fuse
