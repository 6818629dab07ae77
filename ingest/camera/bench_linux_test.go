package camera_test

import (
	"testing"

	"github.com/unmaskhq/unmask/ingest/camera"
)

// BenchmarkList lists the fake laptop (13 class entries, 11 video nodes),
// once with VIDIOC_QUERYCAP replies from memory and once with the real
// open and ioctl, which fail with ENOTTY on the fake tree's regular files.
// Both take about 1.5 ms (0.15 ms a node) on a 2-core VM: resolving each
// node's sysfs symlinks and reading its attributes cost more than the
// open and ioctl.
func BenchmarkList(b *testing.B) {
	m := newFakeMachine(b, laptop)
	b.Run("fake-query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := camera.ListWithQuery(m.config(), m.query); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ioctl", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := camera.List(m.config()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
