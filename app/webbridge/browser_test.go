package webbridge_test

import (
	"context"
	"os/exec"
	"runtime"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/unmaskhq/unmask/app/webbridge"
	"github.com/unmaskhq/unmask/app/webbridge/internal/app"
)

// browserPage uses the bindings the way the frontend does: a classic script
// first (it must already see window.go and window.runtime), then a module
// script that subscribes, calls and records what it got in window.results.
const browserPage = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>bridge test</title>
<script>
  window.early = typeof window.go + "," + typeof window.runtime + "," + typeof (window.go && window.go.app && window.go.app.Fake && window.go.app.Fake.Add);
</script>
<script type="module">
  const r = { events: [], onceCalls: 0, offCalls: 0 };
  window.results = r;
  window.runtime.EventsOn("fake:event", (p) => r.events.push(p));
  window.runtime.EventsOnce("fake:event", () => { r.onceCalls++; });
  const off = window.runtime.EventsOn("fake:event", () => { r.offCalls++; });
  off();
  r.sum = await window.go.app.Fake.Add(2, 3);
  r.greeting = await window.go.app.Fake.Greet({ name: "Ada", age: 36 });
  r.nothing = await window.go.app.Fake.Ping();
  try {
    await window.go.app.Fake.Sqrt(-1);
    r.rejection = "resolved";
  } catch (e) {
    r.rejection = { isError: e instanceof Error, message: e.message };
  }
  try {
    await window.go.app.Fake.Add(1);
    r.argError = "resolved";
  } catch (e) {
    r.argError = e.message;
  }
  r.env = await window.runtime.Environment();
  window.runtime.WindowSetTitle("retitled");
  r.ready = true;
</script>
</head>
<body></body>
</html>`

type rejection struct {
	IsError bool   `json:"isError"`
	Message string `json:"message"`
}

type browserResults struct {
	Sum       int               `json:"sum"`
	Greeting  app.Greeting      `json:"greeting"`
	Nothing   any               `json:"nothing"`
	Rejection rejection         `json:"rejection"`
	ArgError  string            `json:"argError"`
	Env       map[string]string `json:"env"`
	Events    []progress        `json:"events"`
	OnceCalls int               `json:"onceCalls"`
	OffCalls  int               `json:"offCalls"`
}

func TestRuntimeInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium): skipping the browser test")
	}
	b, srv := newServer(t, webbridge.Config{
		Assets: fstest.MapFS{"index.html": {Data: []byte(browserPage)}},
		Bind:   []any{app.NewFake()},
	})

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	early, err := chromedp.Run(bctx, chromedp.Evaluate[string](`window.early`))
	if err != nil {
		t.Fatalf("read window.early: %v", err)
	}
	if early != "object,object,function" {
		t.Errorf("before the app's scripts, typeof go, runtime, Fake.Add = %q, want object,object,function", early)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`window.results && window.results.ready === true`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("wait for the page's calls: %v", err)
	}

	// The calls waited for the event stream, so the page listens by now.
	b.Emit("fake:event", progress{ID: "r1", Done: 0.25})
	b.Emit("fake:event", progress{ID: "r1", Done: 1})
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`window.results.events.length >= 2`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("wait for the events: %v", err)
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[browserResults](`window.results`))
	if err != nil {
		t.Fatalf("read window.results: %v", err)
	}

	if got.Sum != 5 {
		t.Errorf("Add(2, 3) = %d, want 5", got.Sum)
	}
	if want := (app.Greeting{Text: "Hello, Ada", Adult: true}); got.Greeting != want {
		t.Errorf("Greet = %+v, want %+v", got.Greeting, want)
	}
	if got.Nothing != nil {
		t.Errorf("Ping() resolved %v, want null", got.Nothing)
	}
	if want := (rejection{IsError: true, Message: "sqrt -1: negative number"}); got.Rejection != want {
		t.Errorf("Sqrt(-1) rejected with %+v, want %+v", got.Rejection, want)
	}
	if want := "error parsing arguments: received 1 arguments to method 'app.Fake.Add', expected 2"; got.ArgError != want {
		t.Errorf("Add(1) rejected with %q, want %q", got.ArgError, want)
	}
	wantEnv := map[string]string{"buildType": "browser", "platform": runtime.GOOS, "arch": runtime.GOARCH}
	for k, v := range wantEnv {
		if got.Env[k] != v {
			t.Errorf("Environment().%s = %q, want %q", k, got.Env[k], v)
		}
	}
	wantEvents := []progress{{ID: "r1", Done: 0.25}, {ID: "r1", Done: 1}}
	if len(got.Events) != len(wantEvents) {
		t.Fatalf("events = %+v, want %+v", got.Events, wantEvents)
	}
	for i := range wantEvents {
		if got.Events[i] != wantEvents[i] {
			t.Errorf("event %d = %+v, want %+v", i, got.Events[i], wantEvents[i])
		}
	}
	if got.OnceCalls != 1 {
		t.Errorf("EventsOnce listener called %d times, want 1", got.OnceCalls)
	}
	if got.OffCalls != 0 {
		t.Errorf("unsubscribed listener called %d times, want 0", got.OffCalls)
	}
	title, err := chromedp.Run(bctx, chromedp.Title())
	if err != nil {
		t.Fatalf("read title: %v", err)
	}
	if title != "retitled" {
		t.Errorf("title after WindowSetTitle = %q, want retitled", title)
	}
}
