// Package signal holds the deepfake signals. Each signal is one type behind
// the Signal interface: it observes every analysed frame (the face result,
// and the pixels for signals that need them) and, when asked, scores the
// sliding window that ends at a given time with a value in [0,1], reasons
// a person can act on, and the frames and regions that drove it.
//
// Signals keep state between frames as plain Go values, never Mats: they
// copy what they need in Observe and do not retain the frame. A signal is
// used by one goroutine; fusion (analysis/fuse) combines their scores.
package signal
