package server

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

//go:embed page
var pageFiles embed.FS

var candidateTmpl = template.Must(template.ParseFS(pageFiles, "page/candidate.html"))

// staticFS serves the page's script and style.
func staticFS() fs.FS {
	sub, _ := fs.Sub(pageFiles, "page")
	return sub
}

// candidatePage serves the consent and publish page for a valid,
// unexpired link, and a plain explanation otherwise.
func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request) {
	ss := s.store.byToken(r.PathValue("token"), s.now())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The camera needs permission; nothing else may be used.
	w.Header().Set("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()")
	if ss == nil {
		b, _ := pageFiles.ReadFile("page/expired.html")
		w.WriteHeader(http.StatusNotFound)
		w.Write(b)
		return
	}
	candidateTmpl.Execute(w, struct{ WHIPPath, FactsPath string }{"/whip/" + ss.ID, "/facts/" + ss.ID})
}
