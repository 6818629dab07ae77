package webbridge_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/app/webbridge"
	"github.com/unmaskhq/unmask/app/webbridge/internal/app"
)

// newServer serves a bridge over fake (and cfg's other fields) on a real
// loopback listener. Cleanup closes both and fails the test if any bridge
// goroutine outlives them.
func newServer(tb testing.TB, cfg webbridge.Config) (*webbridge.Bridge, *httptest.Server) {
	tb.Helper()
	b, err := webbridge.New(cfg)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(b.Handler())
	tb.Cleanup(func() {
		b.Close()
		srv.Close()
		checkNoBridgeGoroutines(tb)
	})
	return b, srv
}

// newFakeServer binds a fresh Fake.
func newFakeServer(tb testing.TB) (*app.Fake, *webbridge.Bridge, *httptest.Server) {
	tb.Helper()
	fake := app.NewFake()
	b, srv := newServer(tb, webbridge.Config{Bind: []any{fake}})
	tb.Cleanup(func() {
		select {
		case <-fake.Gate:
		default:
			close(fake.Gate) // let a Slow still waiting return
		}
	})
	return fake, b, srv
}

// checkNoBridgeGoroutines fails when a goroutine is still running bridge
// code (pion's CheckRoutines, narrowed to this package so that the HTTP
// client's and the browser's goroutines do not count).
func checkNoBridgeGoroutines(tb testing.TB) {
	tb.Helper()
	var left []string
	for deadline := time.Now().Add(2 * time.Second); ; {
		left = left[:0]
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "unmask/app/webbridge.(*Bridge)") {
				left = append(left, g)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(left) > 0 {
		tb.Errorf("bridge goroutines still running:\n%s", strings.Join(left, "\n\n"))
	}
}

// callReply is the body of an answer from /bridge/call.
type callReply struct {
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

// postCall sends body to /bridge/call with token and returns the status and
// the decoded reply (zero unless the status is 200).
func postCall(tb testing.TB, srv *httptest.Server, token, body string) (int, callReply) {
	tb.Helper()
	status, reply, err := doCall(srv, token, body)
	if err != nil {
		tb.Fatal(err)
	}
	return status, reply
}

// doCall is postCall for goroutines other than the test's.
func doCall(srv *httptest.Server, token, body string) (int, callReply, error) {
	var reply callReply
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/bridge/call", strings.NewReader(body))
	if err != nil {
		return 0, reply, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Bridge-Token", token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return 0, reply, fmt.Errorf("POST /bridge/call: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, reply, fmt.Errorf("read reply: %w", err)
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &reply); err != nil {
			return 0, reply, fmt.Errorf("decode reply %q: %w", data, err)
		}
	}
	return resp.StatusCode, reply, nil
}

// callBody builds the body the page runtime sends for name(args...), where
// args is a JSON array.
func callBody(name, args string) string {
	return `{"name":"` + name + `","args":` + args + `}`
}

// compactJSON returns s without insignificant space, or s when it is not
// JSON.
func compactJSON(s []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, s); err != nil {
		return string(s)
	}
	return buf.String()
}
