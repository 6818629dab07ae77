//go:build matprofile

package matleak

import (
	"strings"

	"gocv.io/x/gocv"
)

const enabled = true

func open() (int, string) {
	n := gocv.MatProfile.Count()
	if n == 0 {
		return 0, ""
	}
	var b strings.Builder
	gocv.MatProfile.WriteTo(&b, 1)
	return n, b.String()
}
