package webbridge

import (
	"bytes"
	"errors"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// contentTypes fixes the types a page needs exactly (a module script is
// refused under any type but JavaScript), whatever the system's MIME table
// says. Other extensions go to net/http.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".wasm":  "application/wasm",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
}

// serveAsset serves a file of the assets, index.html with the runtime
// script injected, or hands the request to Extra when the assets do not
// have the path. A path ending in "/" means its index.html.
func (b *Bridge) serveAsset(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if strings.HasSuffix(p, "/") {
		name = path.Join(name, "index.html")
	}
	data, modTime, err := b.readAsset(name)
	if errors.Is(err, fs.ErrNotExist) {
		if b.extra != nil {
			b.extra.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "webbridge: read "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	if !allowMethod(w, r, http.MethodGet, http.MethodHead) {
		return
	}

	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		h.Set("Content-Type", ct)
	}
	if path.Base(name) == "index.html" {
		// The page carries this bridge's token: never cache it.
		h.Set("Cache-Control", "no-store")
		data = injectScript(data, b.scriptTag)
		modTime = time.Time{}
	}
	http.ServeContent(w, r, name, modTime, bytes.NewReader(data))
}

// readAsset returns the content of the regular file name of the assets, or
// an error that wraps fs.ErrNotExist when there is none.
func (b *Bridge) readAsset(name string) ([]byte, time.Time, error) {
	if b.assets == nil || !fs.ValidPath(name) {
		return nil, time.Time{}, fs.ErrNotExist
	}
	f, err := b.assets.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrInvalid) {
			err = fs.ErrNotExist
		}
		return nil, time.Time{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	if !st.Mode().IsRegular() {
		return nil, time.Time{}, fs.ErrNotExist
	}
	data, err := io.ReadAll(f)
	return data, st.ModTime(), err
}

// scriptTag is the classic (non-module, not deferred) script element that
// loads the runtime, so window.go and window.runtime exist before any of
// the page's own scripts run.
func scriptTag(token string) []byte {
	src := pathRuntime + "?token=" + url.QueryEscape(token)
	return []byte(`<script src="` + html.EscapeString(src) + `"></script>`)
}

// injectScript returns page with tag inserted before its first <script>
// element; in a page without one, after the <head> start tag, else after
// <html>, else after the doctype, else at the start. It skips comments and
// the content of elements whose text is not markup (style, textarea,
// title, noscript, template), so a script inside them is not taken for the
// first. page is not modified.
func injectScript(page, tag []byte) []byte {
	at, afterHead, afterHTML, afterDoctype := -1, -1, -1, -1
	lower := asciiLower(page)
	for i := 0; i < len(lower) && at < 0; {
		j := bytes.IndexByte(lower[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := lower[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				i = len(lower)
				continue
			}
			i += 4 + end + 3
		case bytes.HasPrefix(rest, []byte("<!")):
			end := tagEnd(rest)
			if bytes.HasPrefix(rest, []byte("<!doctype")) {
				afterDoctype = i + end
			}
			i += end
		default:
			name := tagName(rest[1:])
			if name == "" {
				i++
				continue
			}
			end := tagEnd(rest)
			switch name {
			case "script":
				at = i
				continue
			case "head":
				if afterHead < 0 {
					afterHead = i + end
				}
			case "html":
				if afterHTML < 0 {
					afterHTML = i + end
				}
			case "style", "textarea", "title", "noscript", "template":
				closeTag := []byte("</" + name)
				k := bytes.Index(rest[end:], closeTag)
				if k < 0 {
					i = len(lower)
					continue
				}
				end += k
			}
			i += end
		}
	}
	for _, pos := range []int{at, afterHead, afterHTML, afterDoctype, 0} {
		if pos >= 0 {
			out := make([]byte, 0, len(page)+len(tag))
			out = append(out, page[:pos]...)
			out = append(out, tag...)
			return append(out, page[pos:]...)
		}
	}
	return page // not reached: the last position is 0
}

// tagName returns the lower-case element name at the start of p, or "" when
// p does not start a start tag.
func tagName(p []byte) string {
	n := 0
	for n < len(p) && (p[n] >= 'a' && p[n] <= 'z' || n > 0 && (p[n] >= '0' && p[n] <= '9' || p[n] == '-')) {
		n++
	}
	if n == 0 || n < len(p) && !isTagNameEnd(p[n]) {
		return ""
	}
	return string(p[:n])
}

func isTagNameEnd(c byte) bool {
	return isSpace(c) || c == '/' || c == '>'
}

// tagEnd returns the length of the tag at the start of p, up to and
// including its '>', skipping quoted attribute values; len(p) when it does
// not end.
func tagEnd(p []byte) int {
	var quote, prev byte // prev: the last byte outside quotes that is not a space
	for i := 1; i < len(p); i++ {
		c := p[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
				prev = c
			}
		case (c == '"' || c == '\'') && prev == '=':
			quote = c
		case c == '>':
			return i + 1
		case !isSpace(c):
			prev = c
		}
	}
	return len(p)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// asciiLower returns a copy of p with ASCII letters in lower case and every
// other byte, and so every offset, unchanged.
func asciiLower(p []byte) []byte {
	out := make([]byte, len(p))
	for i, c := range p {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
