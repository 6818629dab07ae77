package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/pion/sdp/v3"
)

// OfferError marks a publish that failed because of the offer itself
// (malformed SDP, no VP8 or Opus): the client gets 400, not 500.
type OfferError struct{ Err error }

func (e *OfferError) Error() string { return "bad offer: " + e.Err.Error() }
func (e *OfferError) Unwrap() error { return e.Err }

// Handler routes every endpoint behind the rate limit and security headers.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /join/{token}", s.candidatePage)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(staticFS())))
	mux.HandleFunc("OPTIONS /whip/{id}", s.whipOptions)
	mux.HandleFunc("POST /whip/{id}", s.whipPost)
	mux.HandleFunc("OPTIONS /whip/{id}/{res}", s.whipOptions)
	mux.HandleFunc("DELETE /whip/{id}/{res}", s.whipDelete)
	mux.HandleFunc("PATCH /whip/{id}/{res}", s.whipPatch)
	mux.HandleFunc("POST /facts/{id}", s.postFacts)
	mux.HandleFunc("POST /api/sessions", s.adminOnly(s.apiCreate))
	mux.HandleFunc("GET /api/sessions", s.adminOnly(s.apiList))
	mux.HandleFunc("GET /api/sessions/{id}", s.adminOnly(s.apiGet))
	mux.HandleFunc("DELETE /api/sessions/{id}", s.adminOnly(s.apiDelete))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	return s.limiter.wrap(secure(mux))
}

// secure sets headers every response carries: no caching of tokens or
// answers, no referrer leaking the link, no framing, a strict policy.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Cache-Control", "no-store")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' blob: mediastream:; frame-ancestors 'none'")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=86400")
		}
		h.ServeHTTP(w, r)
	})
}

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// authorised finds the session in the path and checks the bearer token;
// it writes the error response itself and returns nil on failure.
func (s *Server) authorised(w http.ResponseWriter, r *http.Request) *Session {
	ss := s.store.get(r.PathValue("id"))
	tok := bearer(r)
	if ss == nil || !sameToken(tok, ss.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="unmask"`)
		httpError(w, http.StatusUnauthorized, "unknown session or wrong token")
		return nil
	}
	return ss
}

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// whipOptions answers CORS preflights and advertises SDP (RFC 9725 §4.4).
func (s *Server) whipOptions(w http.ResponseWriter, r *http.Request) {
	cors(w)
	w.Header().Set("Accept-Post", "application/sdp")
	w.WriteHeader(http.StatusNoContent)
}

// cors lets browser WHIP clients on other origins publish: the bearer
// token, not the origin, is what authorises.
func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, DELETE, PATCH, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match")
	h.Set("Access-Control-Expose-Headers", "Location, Link, ETag")
}

// whipPost starts a call from an SDP offer (RFC 9725 §4.2).
func (s *Server) whipPost(w http.ResponseWriter, r *http.Request) {
	cors(w)
	ss := s.authorised(w, r)
	if ss == nil {
		return
	}
	if s.now().After(ss.Expires) {
		httpError(w, http.StatusForbidden, "this interview link has expired; ask the interviewer for a new one")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/sdp" {
		httpError(w, http.StatusUnsupportedMediaType, "the offer must be sent as application/sdp")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxSDPBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the offer exceeds %d bytes", maxSDPBytes))
			return
		}
		httpError(w, http.StatusBadRequest, "could not read the offer")
		return
	}
	if err := checkOffer(body); err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}

	ss.mu.Lock()
	if ss.starting {
		ss.mu.Unlock()
		httpError(w, http.StatusConflict, "another publish for this session is starting")
		return
	}
	ss.starting = true
	ss.mu.Unlock()
	defer func() {
		ss.mu.Lock()
		ss.starting = false
		ss.mu.Unlock()
	}()
	// A new publish replaces the session's previous call (the candidate
	// reloaded the page or the client reconnected).
	s.endCall(ss, "replaced")
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		httpError(w, http.StatusServiceUnavailable, "the server is shutting down")
		return
	}
	if s.live >= s.cfg.MaxLive {
		s.mu.Unlock()
		w.Header().Set("Retry-After", "30")
		httpError(w, http.StatusServiceUnavailable, fmt.Sprintf("already analysing %d calls, the most this machine keeps up with", s.cfg.MaxLive))
		return
	}
	s.live++
	s.mu.Unlock()

	ss.mu.Lock()
	ss.takes++
	req := PublishRequest{SessionID: ss.ID, Resource: newID(), Offer: string(body), UserAgent: r.UserAgent(), Facts: ss.facts, Take: ss.takes}
	ss.mu.Unlock()

	ctx, cancel := context.WithTimeout(r.Context(), publishWait)
	pub, err := s.cfg.Publish(ctx, req)
	cancel()
	if err != nil {
		s.mu.Lock()
		s.live--
		s.mu.Unlock()
		var bad *OfferError
		if errors.As(err, &bad) {
			httpError(w, http.StatusBadRequest, bad.Error())
			return
		}
		s.cfg.Logger.Error("publish failed", "session", ss.ID, "err", err)
		httpError(w, http.StatusInternalServerError, "could not start the call: "+err.Error())
		return
	}
	ss.mu.Lock()
	ss.pub, ss.resource = pub, req.Resource
	ss.mu.Unlock()
	go s.watch(ss, pub)

	loc := "/whip/" + ss.ID + "/" + req.Resource
	w.Header().Set("Location", loc)
	w.Header().Set("Content-Type", "application/sdp")
	w.WriteHeader(http.StatusCreated)
	io.WriteString(w, pub.Answer())
}

// watch ends the session's call when the peer goes away by itself.
func (s *Server) watch(ss *Session, pub Publisher) {
	<-pub.Done()
	ss.mu.Lock()
	mine := ss.pub == pub
	ss.mu.Unlock()
	if mine {
		s.endCall(ss, "peer_lost")
	}
}

// checkOffer rejects what is not an SDP offer with audio or video before
// any WebRTC state is created.
func checkOffer(b []byte) error {
	var d sdp.SessionDescription
	if err := d.UnmarshalString(string(b)); err != nil {
		return fmt.Errorf("the offer is not valid SDP: %v", err)
	}
	for _, m := range d.MediaDescriptions {
		if k := m.MediaName.Media; k == "video" || k == "audio" {
			return nil
		}
	}
	return errors.New("the offer has neither video nor audio")
}

// whipDelete ends a call (RFC 9725 §4.2).
func (s *Server) whipDelete(w http.ResponseWriter, r *http.Request) {
	cors(w)
	ss := s.authorised(w, r)
	if ss == nil {
		return
	}
	ss.mu.Lock()
	current := ss.pub != nil && ss.resource == r.PathValue("res")
	ss.mu.Unlock()
	if !current {
		httpError(w, http.StatusNotFound, "no such WHIP session")
		return
	}
	s.endCall(ss, "normal")
	w.WriteHeader(http.StatusOK)
}

// whipPatch: answers carry every candidate (no trickle ICE, no ICE
// restart), so PATCH is not supported (RFC 9725 §4.3.1).
func (s *Server) whipPatch(w http.ResponseWriter, r *http.Request) {
	cors(w)
	if s.authorised(w, r) == nil {
		return
	}
	w.Header().Set("Allow", "DELETE, OPTIONS")
	httpError(w, http.StatusMethodNotAllowed, "trickle ICE and ICE restarts are not supported; publish again instead")
}

// postFacts takes the candidate page's device report.
func (s *Server) postFacts(w http.ResponseWriter, r *http.Request) {
	ss := s.authorised(w, r)
	if ss == nil {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFactsBytes))
	if err != nil {
		httpError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("device facts must be at most %d bytes", maxFactsBytes))
		return
	}
	if !json.Valid(body) {
		httpError(w, http.StatusBadRequest, "device facts must be JSON")
		return
	}
	ss.mu.Lock()
	ss.facts = json.RawMessage(body)
	pub := ss.pub
	ss.mu.Unlock()
	if pub != nil {
		if err := pub.SetDeviceFacts(body); err != nil {
			httpError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// adminOnly guards the API with the admin token.
func (s *Server) adminOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !sameToken(bearer(r), s.admin) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="unmask-admin"`)
			httpError(w, http.StatusUnauthorized, "the API needs the admin token from serve.json")
			return
		}
		h(w, r)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (s *Server) apiCreate(w http.ResponseWriter, r *http.Request) {
	info, err := s.NewSession()
	if err != nil {
		httpError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, info)
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) {
	out := []SessionInfo{}
	for _, ss := range s.store.list() {
		out = append(out, s.info(ss, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGet(w http.ResponseWriter, r *http.Request) {
	ss := s.store.get(r.PathValue("id"))
	if ss == nil {
		httpError(w, http.StatusNotFound, "no such session")
		return
	}
	writeJSON(w, http.StatusOK, s.info(ss, true))
}

func (s *Server) apiDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.EndSession(r.PathValue("id")); err != nil {
		httpError(w, http.StatusNotFound, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
