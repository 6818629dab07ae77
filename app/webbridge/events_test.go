package webbridge_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/app/webbridge"
)

// eventLine is one `data:` line of the stream.
type eventLine struct {
	Name string            `json:"name"`
	Data []json.RawMessage `json:"data"`
}

// openStream connects to the event stream. The bridge has registered the
// page once it returns.
func openStream(tb testing.TB, srv *httptest.Server, token string) (*bufio.Reader, func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(tb.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/bridge/events?token="+token, nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		tb.Fatalf("GET /bridge/events: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET /bridge/events: status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		tb.Errorf("Content-Type = %q, want text/event-stream", ct)
	}
	return bufio.NewReader(resp.Body), func() { cancel(); resp.Body.Close() }
}

// nextEvent returns the next event, skipping the stream's other lines.
func nextEvent(tb testing.TB, r *bufio.Reader) eventLine {
	tb.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			tb.Fatalf("read stream: %v", err)
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		var ev eventLine
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			tb.Fatalf("decode event %q: %v", data, err)
		}
		return ev
	}
}

type progress struct {
	ID   string  `json:"id"`
	Done float64 `json:"done"`
}

func TestEventsInOrder(t *testing.T) {
	b, srv := newServer(t, webbridge.Config{})
	r1, close1 := openStream(t, srv, b.Token())
	defer close1()
	r2, close2 := openStream(t, srv, b.Token())
	defer close2()

	sent := []struct {
		name    string
		payload any
		want    string // the payload as the page gets it
	}{
		{"review:progress", progress{ID: "r1", Done: 0.5}, `{"id":"r1","done":0.5}`},
		{"status:models", nil, `null`},
		{"live:state", []string{"a", "b"}, `["a","b"]`},
	}
	for _, s := range sent {
		b.Emit(s.name, s.payload)
	}
	for page, r := range []*bufio.Reader{r1, r2} {
		for _, s := range sent {
			ev := nextEvent(t, r)
			if ev.Name != s.name {
				t.Errorf("page %d: event name = %q, want %q", page, ev.Name, s.name)
			}
			if len(ev.Data) != 1 {
				t.Errorf("page %d: %s carries %d values, want 1", page, ev.Name, len(ev.Data))
				continue
			}
			if got := compactJSON(ev.Data[0]); got != s.want {
				t.Errorf("page %d: %s payload = %s, want %s", page, ev.Name, got, s.want)
			}
		}
	}
	if d := b.Dropped(); d != 0 {
		t.Errorf("Dropped() = %d with pages keeping up, want 0", d)
	}
}

func TestEmitUnencodablePayloadIsDropped(t *testing.T) {
	b, srv := newServer(t, webbridge.Config{})
	r, closeStream := openStream(t, srv, b.Token())
	defer closeStream()
	b.Emit("bad", func() {})
	b.Emit("good", 1)
	if ev := nextEvent(t, r); ev.Name != "good" {
		t.Errorf("first event = %q, want the encodable one", ev.Name)
	}
}

func TestEmitNeverBlocksOnStuckPage(t *testing.T) {
	b, srv := newServer(t, webbridge.Config{})

	// A page that reads the response head and then nothing more.
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /bridge/events?token=%s HTTP/1.1\r\nHost: %s\r\n\r\n", b.Token(), srv.Listener.Addr())
	head, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response head: %v", err)
	}
	if head.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", head.StatusCode)
	}

	// 10,000 events of 1 KiB: far more than the page's queue and the
	// socket buffers hold, so the stream stalls and events are dropped.
	pad := strings.Repeat("x", 1024)
	start := time.Now()
	for i := range 10_000 {
		b.Emit("live:overlay", progress{ID: pad, Done: float64(i)})
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Emit of 10000 events to a stuck page took %v, want under 1s", took)
	}
	if b.Dropped() == 0 {
		t.Errorf("Dropped() = 0 after 10000 events to a stuck page, want > 0")
	}

	// Close ends the stuck stream too, at once.
	done := make(chan struct{})
	go func() { b.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Close did not return while a page was stuck")
	}
}

func TestCloseEndsStreams(t *testing.T) {
	b, srv := newServer(t, webbridge.Config{})
	r, closeStream := openStream(t, srv, b.Token())
	defer closeStream()

	b.Close()
	b.Close() // idempotent
	if _, err := io.ReadAll(r); err != nil {
		t.Errorf("stream ended with %v, want a clean end", err)
	}
	resp, err := srv.Client().Get(srv.URL + "/bridge/events?token=" + b.Token())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("stream after Close: status %d, want 503", resp.StatusCode)
	}
	b.Emit("after", 1) // no page, no panic
}
