package webbridge

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxBody is the call body limit when Config.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Paths the bridge answers itself; everything else is an asset or Extra's.
const (
	pathPrefix  = "/bridge/"
	pathRuntime = "/bridge/runtime.js"
	pathCall    = "/bridge/call"
	pathEvents  = "/bridge/events"
)

// tokenHeader carries the token on calls; the event stream and the runtime
// script carry it as the query parameter token.
const tokenHeader = "X-Bridge-Token"

const (
	// clientQueueSize is how many events wait for one page before the
	// oldest is dropped: over a minute of 15 Hz overlays.
	clientQueueSize = 1024
	// writeTimeout ends the stream of a page that stops reading; its
	// EventSource reconnects when it reads again.
	writeTimeout = 10 * time.Second
	// keepAliveEvery sends a comment on a quiet stream so that a page that
	// went away is noticed.
	keepAliveEvery = 15 * time.Second
)

// Config is what New needs. The zero value of each optional field means its
// default.
type Config struct {
	// Assets is the built frontend with index.html at its root, such as
	// os.DirFS("frontend/dist"). Nil serves no assets.
	Assets fs.FS
	// Bind holds pointers to structs, bound like Wails binds them: every
	// exported method of a *p.T becomes window.go.p.T.Method.
	Bind []any
	// Extra serves any path the assets do not have, such as /frames/...;
	// nil answers 404.
	Extra http.Handler
	// Token must accompany every /bridge/ request. New generates a random
	// 256-bit one when it is empty.
	Token string
	// MaxBody limits the body of one call; DefaultMaxBody when zero.
	MaxBody int64
}

// Bridge serves the frontend to a browser with Go services bound. It is safe
// for concurrent use; build it with New.
type Bridge struct {
	token     []byte
	assets    fs.FS
	extra     http.Handler
	maxBody   int64
	methods   map[string]*method
	runtimeJS []byte
	scriptTag []byte
	handler   http.Handler

	mu      sync.Mutex // guards clients and closed, and orders Emit
	clients map[*client]struct{}
	closed  bool
	done    chan struct{} // closed by Close
	streams sync.WaitGroup

	dropped atomic.Uint64
	lastLog atomic.Int64 // unix nanoseconds of the last rate-limited log
}

// New binds the values of cfg.Bind and builds the page runtime. It fails on
// a value that is not a non-nil struct pointer (ErrNotStructPointer), on a
// method with a parameter JSON cannot be decoded into (ErrNotDecodable),
// and on a name bound twice (ErrDuplicateMethod).
func New(cfg Config) (*Bridge, error) {
	b := &Bridge{
		assets:  cfg.Assets,
		extra:   cfg.Extra,
		maxBody: cfg.MaxBody,
		methods: make(map[string]*method),
		clients: make(map[*client]struct{}),
		done:    make(chan struct{}),
	}
	if b.maxBody <= 0 {
		b.maxBody = DefaultMaxBody
	}
	token := cfg.Token
	if token == "" {
		var key [32]byte
		rand.Read(key[:]) // never fails: crypto/rand aborts the program instead
		token = hex.EncodeToString(key[:])
	}
	b.token = []byte(token)

	for _, v := range cfg.Bind {
		methods, err := bindValue(v)
		if err != nil {
			return nil, fmt.Errorf("webbridge: bind: %w", err)
		}
		for _, m := range methods {
			if _, ok := b.methods[m.name]; ok {
				return nil, fmt.Errorf("webbridge: bind: %w: %s", ErrDuplicateMethod, m.name)
			}
			b.methods[m.name] = m
		}
	}

	js, err := runtimeScript(token, b.methods)
	if err != nil {
		return nil, err
	}
	b.runtimeJS = js
	b.scriptTag = scriptTag(token)
	b.handler = http.HandlerFunc(b.serveHTTP)
	return b, nil
}

// Handler returns the handler that serves the page, its assets and the
// /bridge/ endpoints. Listen on 127.0.0.1 only; see the package doc.
func (b *Bridge) Handler() http.Handler { return b.handler }

// Token returns the token every /bridge/ request must carry.
func (b *Bridge) Token() string { return string(b.token) }

// Dropped returns how many events were dropped because a page fell behind.
func (b *Bridge) Dropped() uint64 { return b.dropped.Load() }

// Close ends every event stream, refuses new ones and waits for their
// handlers to return. Calls still work. Close is idempotent.
func (b *Bridge) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.done)
		for c := range b.clients {
			c.abort()
		}
	}
	b.mu.Unlock()
	b.streams.Wait()
}

func (b *Bridge) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host) {
		http.Error(w, "webbridge: serving loopback addresses only", http.StatusForbidden)
		return
	}
	if r.URL.Path != "/bridge" && !strings.HasPrefix(r.URL.Path, pathPrefix) {
		b.serveAsset(w, r)
		return
	}
	if !sameOrigin(r) {
		http.Error(w, "webbridge: cross-origin request", http.StatusForbidden)
		return
	}
	if status := b.checkToken(r); status != http.StatusOK {
		http.Error(w, "webbridge: missing or wrong token", status)
		return
	}
	switch r.URL.Path {
	case pathRuntime:
		if !allowMethod(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method == http.MethodGet {
			w.Write(b.runtimeJS)
		}
	case pathCall:
		if allowMethod(w, r, http.MethodPost) {
			b.serveCall(w, r)
		}
	case pathEvents:
		if allowMethod(w, r, http.MethodGet) {
			b.serveEvents(w, r)
		}
	default:
		http.NotFound(w, r)
	}
}

// checkToken returns 200 for the right token, 401 for none and 403 for a
// wrong one.
func (b *Bridge) checkToken(r *http.Request) int {
	got := r.Header.Get(tokenHeader)
	if got == "" {
		got = r.URL.Query().Get("token")
	}
	switch {
	case got == "":
		return http.StatusUnauthorized
	case subtle.ConstantTimeCompare([]byte(got), b.token) != 1:
		return http.StatusForbidden
	default:
		return http.StatusOK
	}
}

// callRequest is the body of POST /bridge/call.
type callRequest struct {
	Name string            `json:"name"`
	Args []json.RawMessage `json:"args"`
}

// callResponse is its answer: Result, or Error for the promise to reject
// with.
type callResponse struct {
	Result any    `json:"result"`
	Error  string `json:"error,omitempty"`
}

// serveCall runs one method call. Outcomes of the method, including unknown
// names, bad arguments and panics, answer 200 with an error; only a request
// the page runtime would never send gets an HTTP error.
func (b *Bridge) serveCall(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, fmt.Sprintf("webbridge: call body over %d bytes", b.maxBody), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "webbridge: read call: "+err.Error(), http.StatusBadRequest)
		return
	}
	var req callRequest
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, "webbridge: decode call: "+err.Error(), http.StatusBadRequest)
		return
	}

	var resp callResponse
	if m, ok := b.methods[req.Name]; !ok {
		resp.Error = "unknown method " + req.Name
	} else if result, err := m.call(req.Args); err != nil {
		resp.Error = err.Error()
		if resp.Error == "" {
			resp.Error = req.Name + " failed with an empty error"
		}
	} else {
		resp.Result = result
	}
	out, err := json.Marshal(resp)
	if err != nil {
		out, _ = json.Marshal(callResponse{Error: fmt.Sprintf("encode the result of %s: %v", req.Name, err)})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.Write(out)
}

// allowMethod answers 405 and returns false unless r uses one of methods.
func allowMethod(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	http.Error(w, "webbridge: method not allowed", http.StatusMethodNotAllowed)
	return false
}

// loopbackHost reports whether the Host header names this machine by a
// loopback address or "localhost". A page that reached the server through
// another name (DNS rebinding) must not read the token from index.html.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// sameOrigin reports whether r came from the bridge's own pages, or from no
// browser page at all. A browser says where a request comes from in
// Sec-Fetch-Site and Origin; either naming another site is refused.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}
