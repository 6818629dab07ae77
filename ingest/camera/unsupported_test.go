//go:build !linux

package camera_test

import (
	"errors"
	"testing"

	"github.com/unmaskhq/unmask/ingest/camera"
)

func TestListUnsupported(t *testing.T) {
	got, err := camera.List(camera.Config{})
	if !errors.Is(err, camera.ErrUnsupported) || !errors.Is(err, errors.ErrUnsupported) || got != nil {
		t.Fatalf("got %v, %v; want nil and an error wrapping ErrUnsupported", got, err)
	}
}
