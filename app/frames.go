package app

import (
	"net/http"
	"strconv"
	"strings"
)

// FrameHandler serves the pictures the window shows, as JPEG through the
// Wails asset server (pictures never travel as events):
//
//	/frames/review/ID/INDEX.jpg   frame INDEX of an opened recording
//	/frames/live/ID/INDEX.jpg     a recent picture of a live call
//	/frames/camera/ID/INDEX.jpg   a recent picture of a local camera
//
// Anything else is 404. Only GET and HEAD are answered.
type FrameHandler struct {
	Review *ReviewService
	Live   *LiveService
	Camera *CameraService
}

func (h FrameHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/frames/")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 3 || !strings.HasSuffix(parts[2], ".jpg") {
		http.NotFound(w, r)
		return
	}
	idx, err := strconv.Atoi(strings.TrimSuffix(parts[2], ".jpg"))
	if err != nil || idx < 0 {
		http.NotFound(w, r)
		return
	}
	var b []byte
	cache := "no-store" // a live picture is replaced within a second
	switch {
	case parts[0] == "review" && h.Review != nil:
		b, ok = h.Review.frame(parts[1], idx)
		cache = "private, max-age=3600, immutable" // a recording's frame never changes
	case parts[0] == "live" && h.Live != nil:
		b, ok = h.Live.frame(parts[1], idx)
	case parts[0] == "camera" && h.Camera != nil:
		b, ok = h.Camera.frame(parts[1], idx)
	default:
		ok = false
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", cache)
	if r.Method == http.MethodGet {
		w.Write(b)
	}
}
