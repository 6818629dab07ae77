package app

import (
	"fmt"
	"strconv"
	"strings"
)

// frameURL is where the window fetches picture index of a source.
func frameURL(source, id string, index int) string {
	return fmt.Sprintf("/frames/%s/%s/%d.jpg", source, id, index)
}

// frameIndexOf returns the picture index a frameURL names, or -1.
func frameIndexOf(url string) int {
	i := strings.LastIndexByte(url, '/')
	if i < 0 || !strings.HasSuffix(url, ".jpg") {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSuffix(url[i+1:], ".jpg"))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// jpegSize reads a JPEG's picture size from its start-of-frame marker
// without decoding it.
func jpegSize(b []byte) (w, h int, ok bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 0, 0, false
	}
	i := 2
	for i+9 < len(b) {
		if b[i] != 0xFF {
			return 0, 0, false
		}
		marker := b[i+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF {
			i += 2
			continue
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		if n < 2 {
			return 0, 0, false
		}
		// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
		if marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
			h = int(b[i+5])<<8 | int(b[i+6])
			w = int(b[i+7])<<8 | int(b[i+8])
			return w, h, w > 0 && h > 0
		}
		i += 2 + n
	}
	return 0, 0, false
}
