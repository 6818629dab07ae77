package webbridge_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/unmaskhq/unmask/app/webbridge"
	"github.com/unmaskhq/unmask/app/webbridge/internal/app"
)

const runtimeTagPrefix = `<script src="/bridge/runtime.js?token=`

func get(tb testing.TB, url string) (*http.Response, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read %s: %v", url, err)
	}
	return resp, string(body)
}

func TestIndexInjection(t *testing.T) {
	tests := []struct {
		name   string
		page   string
		before string // the runtime tag must come right before this; "" for the end of the page
		after  string // and right after this
	}{
		{
			name:   "vite build",
			page:   `<!doctype html><html><head><meta charset="UTF-8"><title>Unmask</title><script type="module" crossorigin src="/assets/index.js"></script><link rel="stylesheet" href="/assets/index.css"></head><body><div id="app"></div></body></html>`,
			after:  `<title>Unmask</title>`,
			before: `<script type="module"`,
		},
		{
			name:   "script in a comment and in the title",
			page:   "<html><head><!-- <script src=\"old.js\"></script> --><title><script></title>\n<SCRIPT>var x = 1;</SCRIPT></head></html>",
			after:  "</title>\n",
			before: `<SCRIPT>`,
		},
		{
			name:   "script in a template",
			page:   `<html><head><template><script>no()</script></template><script src="/a.js"></script></head></html>`,
			after:  `</template>`,
			before: `<script src="/a.js">`,
		},
		{
			name:   "quoted >",
			page:   `<html><head data-x="a>b"><meta content='<script>'></head><body><script src="/b.js"></script></body></html>`,
			after:  `<body>`,
			before: `<script src="/b.js">`,
		},
		{
			name:   "no script",
			page:   `<!DOCTYPE html><HTML><Head lang="en"><title>T</title></Head></HTML>`,
			after:  `<Head lang="en">`,
			before: `<title>`,
		},
		{
			name:   "no head",
			page:   `<!doctype html><html lang="en"><body>hi</body></html>`,
			after:  `<html lang="en">`,
			before: `<body>`,
		},
		{
			name:   "fragment",
			page:   `hello`,
			after:  ``,
			before: `hello`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, srv := newServer(t, webbridge.Config{
				Assets: fstest.MapFS{"index.html": {Data: []byte(tt.page)}},
				Token:  "tok",
			})
			for _, path := range []string{"/", "/index.html"} {
				resp, body := get(t, srv.URL+path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: status %d", path, resp.StatusCode)
				}
				tag := runtimeTagPrefix + b.Token() + `"></script>`
				if n := strings.Count(body, tag); n != 1 {
					t.Fatalf("GET %s: runtime tag appears %d times, want 1:\n%s", path, n, body)
				}
				if want := tt.after + tag + tt.before; !strings.Contains(body, want) {
					t.Errorf("GET %s: page\n%s\nwant it to contain\n%s", path, body, want)
				}
				if got := strings.ReplaceAll(body, tag, ""); got != tt.page {
					t.Errorf("GET %s: page without the tag\n%s\nwant it unchanged\n%s", path, got, tt.page)
				}
				if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("GET %s: Cache-Control = %q, want no-store", path, cc)
				}
			}
		})
	}
}

func TestAssets(t *testing.T) {
	assets := fstest.MapFS{
		"index.html":        {Data: []byte(`<html><head><script type="module" src="/assets/app.js"></script></head></html>`)},
		"assets/app.js":     {Data: []byte(`console.log("app")`)},
		"assets/app.css":    {Data: []byte(`body{}`)},
		"assets/logo.svg":   {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
		"assets/data.json":  {Data: []byte(`{}`)},
		"assets/font.woff2": {Data: []byte{0x77, 0x4f, 0x46, 0x32}},
	}
	extra := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		io.WriteString(w, "extra "+r.Method+" "+r.URL.Path)
	})
	_, withExtra := newServer(t, webbridge.Config{Assets: assets, Extra: extra})
	_, noExtra := newServer(t, webbridge.Config{Assets: assets})
	_, noAssets := newServer(t, webbridge.Config{})

	tests := []struct {
		name       string
		url        string
		wantStatus int
		wantType   string
		wantBody   string // "" skips the check
	}{
		{"script", withExtra.URL + "/assets/app.js", 200, "text/javascript; charset=utf-8", `console.log("app")`},
		{"style", withExtra.URL + "/assets/app.css", 200, "text/css; charset=utf-8", `body{}`},
		{"svg", withExtra.URL + "/assets/logo.svg", 200, "image/svg+xml", ""},
		{"json", withExtra.URL + "/assets/data.json", 200, "application/json", `{}`},
		{"font", withExtra.URL + "/assets/font.woff2", 200, "font/woff2", ""},
		{"page", withExtra.URL + "/", 200, "text/html; charset=utf-8", ""},
		{"extra for unknown path", withExtra.URL + "/frames/r1/7.jpg", 200, "image/jpeg", "extra GET /frames/r1/7.jpg"},
		{"extra for a directory", withExtra.URL + "/assets", 200, "image/jpeg", "extra GET /assets"},
		{"extra for a directory without index", withExtra.URL + "/assets/", 200, "image/jpeg", "extra GET /assets/"},
		{"no extra: 404", noExtra.URL + "/frames/r1/7.jpg", 404, "", ""},
		{"dot dot stays inside", noExtra.URL + "/assets/../../etc/passwd", 404, "", ""},
		{"no assets: 404", noAssets.URL + "/", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.url)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantType != "" {
				if ct := resp.Header.Get("Content-Type"); ct != tt.wantType {
					t.Errorf("Content-Type = %q, want %q", ct, tt.wantType)
				}
			}
			if tt.wantBody != "" && body != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
		})
	}

	t.Run("asset by POST", func(t *testing.T) {
		resp, err := http.Post(withExtra.URL+"/assets/app.js", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("status = %d, want 405", resp.StatusCode)
		}
	})
}

func TestRuntimeScript(t *testing.T) {
	_, srv := newServer(t, webbridge.Config{Bind: []any{app.NewFake()}, Token: "tok<&>"})
	resp, js := get(t, srv.URL+"/bridge/runtime.js?token=tok%3C%26%3E")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200 (%s)", resp.StatusCode, js)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/javascript; charset=utf-8", ct)
	}
	for _, want := range []string{
		`"bindings":{"app":{"Fake":["Add","Boom","Check","Greet","Join","Nothing","Ping","Slow","Sqrt"]}}`,
		`"token":"tok\u003c\u0026\u003e"`,
		`"eventsURL":"/bridge/events?token=tok%3C%26%3E"`,
		`"environment":{"buildType":"browser","platform":"` + runtime.GOOS + `","arch":"` + runtime.GOARCH + `"}`,
		"window.go = go;",
		"window.runtime = {",
	} {
		if !strings.Contains(js, want) {
			t.Errorf("runtime.js lacks %s", want)
		}
	}
	if strings.Contains(js, "/*CONFIG*/") {
		t.Error("runtime.js still holds its config marker")
	}
}
