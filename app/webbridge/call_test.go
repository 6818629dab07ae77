package webbridge_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/app/webbridge"
	"github.com/unmaskhq/unmask/app/webbridge/internal/app"
)

func TestCallResults(t *testing.T) {
	_, b, srv := newFakeServer(t)
	tests := []struct {
		name       string
		method     string
		args       string // JSON array
		wantResult string // compact JSON; ignored when wantErr is set
		wantErr    string // regexp the error must match in full; "" for none
	}{
		{"no result", "app.Fake.Ping", `[]`, `null`, ""},
		{"value", "app.Fake.Add", `[2,3]`, `5`, ""},
		{"nil error", "app.Fake.Check", `[true,"unused"]`, `null`, ""},
		{"error", "app.Fake.Check", `[false,"bad input"]`, "", `bad input`},
		{"value and nil error", "app.Fake.Sqrt", `[17]`, `4`, ""},
		{"value and error", "app.Fake.Sqrt", `[-1]`, "", `sqrt -1: negative number`},
		{"struct in and out", "app.Fake.Greet", `[{"name":"Ada","age":36}]`, `{"text":"Hello, Ada","adult":true}`, ""},
		{"struct field missing", "app.Fake.Greet", `[{"age":36}]`, "", `no name`},
		{"null argument is the zero value", "app.Fake.Greet", `[null]`, "", `no name`},
		{"variadic", "app.Fake.Join", `["-",["a","b","c"]]`, `"a-b-c"`, ""},
		{"nil slice", "app.Fake.Nothing", `[]`, `null`, ""},
		{"panic", "app.Fake.Boom", `[]`, "", `app\.Fake\.Boom panicked: boom`},
		{"too few arguments", "app.Fake.Add", `[2]`, "",
			`error parsing arguments: received 1 arguments to method 'app\.Fake\.Add', expected 2`},
		{"too many arguments", "app.Fake.Ping", `[1]`, "",
			`error parsing arguments: received 1 arguments to method 'app\.Fake\.Ping', expected 0`},
		{"wrong argument type", "app.Fake.Add", `[2,"three"]`, "",
			`error parsing arguments: argument 2 of app\.Fake\.Add: json: cannot unmarshal string into Go value of type int`},
		{"wrong field type", "app.Fake.Greet", `[{"name":7}]`, "",
			`error parsing arguments: argument 1 of app\.Fake\.Greet: json: cannot unmarshal number into Go struct field Person\.name of type string`},
		{"unknown method", "app.Fake.Nope", `[]`, "", `unknown method app\.Fake\.Nope`},
		{"unknown struct", "app.Other.Add", `[2,3]`, "", `unknown method app\.Other\.Add`},
		{"not a full name", "Add", `[2,3]`, "", `unknown method Add`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reply := postCall(t, srv, b.Token(), callBody(tt.method, tt.args))
			if status != http.StatusOK {
				t.Fatalf("status = %d, want 200", status)
			}
			if tt.wantErr != "" {
				if !regexp.MustCompile(`^` + tt.wantErr + `$`).MatchString(reply.Error) {
					t.Errorf("error = %q, want match for %q", reply.Error, tt.wantErr)
				}
				return
			}
			if reply.Error != "" {
				t.Fatalf("error = %q, want none", reply.Error)
			}
			if got := compactJSON(reply.Result); got != tt.wantResult {
				t.Errorf("result = %s, want %s", got, tt.wantResult)
			}
		})
	}
}

func TestCallSlowDoesNotBlockOthers(t *testing.T) {
	fake, b, srv := newFakeServer(t)
	slow := make(chan callReply, 1)
	go func() {
		_, reply, err := doCall(srv, b.Token(), callBody("app.Fake.Slow", `[]`))
		if err != nil {
			reply.Error = err.Error()
		}
		slow <- reply
	}()

	// Calls made while Slow waits still answer.
	for i := range 3 {
		_, reply := postCall(t, srv, b.Token(), callBody("app.Fake.Add", `[1,1]`))
		if got := compactJSON(reply.Result); got != "2" {
			t.Fatalf("Add #%d while Slow waits = %s (error %q), want 2", i, got, reply.Error)
		}
	}
	select {
	case r := <-slow:
		t.Fatalf("Slow answered %+v before its gate opened", r)
	default:
	}

	fake.Gate <- struct{}{}
	select {
	case r := <-slow:
		if got := compactJSON(r.Result); got != `"slow"` {
			t.Errorf("Slow = %s (error %q), want \"slow\"", got, r.Error)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Slow did not answer after its gate opened")
	}
}

func TestCallManyConcurrent(t *testing.T) {
	_, b, srv := newFakeServer(t)
	const n = 50
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, reply, err := doCall(srv, b.Token(), callBody("app.Fake.Add", `[`+strconv.Itoa(i)+`,1]`))
			if err != nil {
				errs <- err
				return
			}
			if got, want := compactJSON(reply.Result), strconv.Itoa(i+1); got != want {
				errs <- errors.New("Add(" + strconv.Itoa(i) + ",1) = " + got + ", want " + want)
				return
			}
			errs <- nil
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestRequestChecks(t *testing.T) {
	b, srv := newServer(t, webbridge.Config{Bind: []any{app.NewFake()}, MaxBody: 256, Token: "secret-token"})
	okBody := callBody("app.Fake.Add", `[2,3]`)
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header map[string]string // "Host" sets the request's Host
		want   int
	}{
		{"token in header", "POST", "/bridge/call", okBody, map[string]string{"X-Bridge-Token": "secret-token"}, 200},
		{"token in query", "POST", "/bridge/call?token=secret-token", okBody, nil, 200},
		{"no token", "POST", "/bridge/call", okBody, nil, 401},
		{"empty token", "POST", "/bridge/call?token=", okBody, nil, 401},
		{"wrong token", "POST", "/bridge/call", okBody, map[string]string{"X-Bridge-Token": "secret-tokex"}, 403},
		{"token prefix", "POST", "/bridge/call", okBody, map[string]string{"X-Bridge-Token": "secret"}, 403},
		{"same origin", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Origin": srv.URL, "Sec-Fetch-Site": "same-origin"}, 200},
		{"cross origin", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Origin": "http://evil.example"}, 403},
		{"cross origin same host other port", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Origin": "http://127.0.0.1:1"}, 403},
		{"null origin", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Origin": "null"}, 403},
		{"cross site fetch", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Sec-Fetch-Site": "cross-site"}, 403},
		{"cross origin event stream", "GET", "/bridge/events", "",
			map[string]string{"X-Bridge-Token": "secret-token", "Origin": "http://evil.example"}, 403},
		{"body over the limit", "POST", "/bridge/call", callBody("app.Fake.Join", `["`+strings.Repeat("x", 300)+`",[]]`),
			map[string]string{"X-Bridge-Token": "secret-token"}, 413},
		{"body not JSON", "POST", "/bridge/call", `{"name":`, map[string]string{"X-Bridge-Token": "secret-token"}, 400},
		{"call by GET", "GET", "/bridge/call", "", map[string]string{"X-Bridge-Token": "secret-token"}, 405},
		{"runtime without token", "GET", "/bridge/runtime.js", "", nil, 401},
		{"runtime with token", "GET", "/bridge/runtime.js?token=secret-token", "", nil, 200},
		{"events without token", "GET", "/bridge/events", "", nil, 401},
		{"unknown bridge path", "GET", "/bridge/nope?token=secret-token", "", nil, 404},
		{"unknown bridge path without token", "GET", "/bridge/nope", "", nil, 401},
		{"DNS rebinding host", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Host": "evil.example:80"}, 403},
		{"rebinding host on a page", "GET", "/", "", map[string]string{"Host": "evil.example"}, 403},
		{"localhost host", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Host": "localhost:1234"}, 200},
		{"IPv6 loopback host", "POST", "/bridge/call", okBody,
			map[string]string{"X-Bridge-Token": "secret-token", "Host": "[::1]:1234"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				if k == "Host" {
					req.Host = v
				} else {
					req.Header.Set(k, v)
				}
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if tt.path == "/bridge/events" && resp.StatusCode == 200 {
				cancel() // an accepted stream would not end by itself
			} else {
				io.Copy(io.Discard, resp.Body)
			}
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
	if got := b.Token(); got != "secret-token" {
		t.Errorf("Token() = %q, want the configured one", got)
	}
}

func TestNewGeneratesToken(t *testing.T) {
	a, err := webbridge.New(webbridge.Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := webbridge.New(webbridge.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hex64 := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, tok := range []string{a.Token(), b.Token()} {
		if !hex64.MatchString(tok) {
			t.Errorf("generated token %q, want 64 hex digits (256 bits)", tok)
		}
	}
	if a.Token() == b.Token() {
		t.Errorf("two bridges got the same token %q", a.Token())
	}
}

// Types New must refuse or accept.
type (
	funcParam      struct{}
	chanParam      struct{}
	ctxParam       struct{}
	complexParam   struct{}
	funcField      struct{}
	badMapKey      struct{}
	okSkippedField struct{}
	okParams       struct{}
	plainStruct    struct{}
	withHook       struct{ Hook func() }
	withSkipped    struct {
		Name string
		Hook func() `json:"-"`
		hook func()
	}
	self struct {
		Next *self
		Kids []self
	}
)

func (*funcParam) Run(f func())                     {}
func (*chanParam) Feed(c chan int)                  {}
func (*ctxParam) Start(ctx context.Context) error   { return nil }
func (*complexParam) Set(c complex128)              {}
func (*funcField) Save(w withHook)                  {}
func (*badMapKey) Set(m map[[2]int]string)          {}
func (*okSkippedField) Save(w withSkipped)          {}
func (*okParams) Set(a any, t time.Time, s *self)   {}
func (*okParams) Map(m map[int][]map[string]string) {}

func TestNewBindErrors(t *testing.T) {
	var nilFake *app.Fake
	n := 3
	tests := []struct {
		name string
		bind []any
		want error // nil: New succeeds
	}{
		{"struct value", []any{plainStruct{}}, webbridge.ErrNotStructPointer},
		{"nil pointer", []any{nilFake}, webbridge.ErrNotStructPointer},
		{"pointer to int", []any{&n}, webbridge.ErrNotStructPointer},
		{"func", []any{func() {}}, webbridge.ErrNotStructPointer},
		{"nil", []any{nil}, webbridge.ErrNotStructPointer},
		{"func parameter", []any{&funcParam{}}, webbridge.ErrNotDecodable},
		{"chan parameter", []any{&chanParam{}}, webbridge.ErrNotDecodable},
		{"context parameter", []any{&ctxParam{}}, webbridge.ErrNotDecodable},
		{"complex parameter", []any{&complexParam{}}, webbridge.ErrNotDecodable},
		{"func field", []any{&funcField{}}, webbridge.ErrNotDecodable},
		{"array map key", []any{&badMapKey{}}, webbridge.ErrNotDecodable},
		{"same type twice", []any{app.NewFake(), app.NewFake()}, webbridge.ErrDuplicateMethod},
		{"skipped and unexported fields", []any{&okSkippedField{}}, nil},
		{"any, TextUnmarshaler, recursive types", []any{&okParams{}}, nil},
		{"no methods", []any{&plainStruct{}}, nil},
		{"fake", []any{app.NewFake()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := webbridge.New(webbridge.Config{Bind: tt.bind})
			if !errors.Is(err, tt.want) {
				t.Errorf("New error = %v, want %v", err, tt.want)
			}
		})
	}
}
