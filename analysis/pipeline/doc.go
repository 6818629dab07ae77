// Package pipeline wires a frame source through the face analyzer to a
// sink. It owns the goroutines and their cancellation: one goroutine reads
// the source, one analyses, both under an errgroup, so an error or a
// cancelled context stops everything and Run returns only when both have
// exited and every Frame has been closed.
//
// Two queue policies sit between them. Files use Block: decoding waits for
// analysis, every frame is analysed, and the small buffer lets decoding
// run ahead on the second core. Live sources use Latest: a buffer of one
// where the newest frame wins; the displaced frame is closed and counted
// as dropped, so ingest never waits on analysis.
package pipeline
