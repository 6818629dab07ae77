package server

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Config configures a Server; the zero value of each field means its
// documented default.
type Config struct {
	// Addr to listen on, default 127.0.0.1:8443. A non-loopback host
	// turns HTTPS on.
	Addr string
	// DataDir holds recordings, the TLS files and serve.json. Required.
	DataDir string
	// CertFile and KeyFile are the user's own certificate; beyond
	// loopback without them a self-signed one is generated in DataDir/tls.
	CertFile, KeyFile string
	// PublicURL is the base printed in links (default: the scheme and
	// address the server listens on, with a LAN address for 0.0.0.0).
	PublicURL string
	// LinkTTL is how long a candidate link accepts a publish (default 4 h).
	LinkTTL time.Duration
	// MaxSessions open at once (default 32) and MaxLive calls analysed at
	// once (default 2: each call analyses in real time on one core of a
	// two-core laptop).
	MaxSessions, MaxLive int
	// Rate is the sustained requests per second allowed per client
	// address (default 10, burst 3x).
	Rate float64
	// Publish starts a live call. Required.
	Publish func(ctx context.Context, req PublishRequest) (Publisher, error)
	Logger  *slog.Logger
}

// Limits on request bodies: an SDP offer is a few KiB (Chrome's is about
// 5 KiB); device facts are a few hundred bytes per device.
const (
	maxSDPBytes   = 64 << 10
	maxFactsBytes = 64 << 10
	publishWait   = 15 * time.Second // ICE gathering and decoder start
)

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8443"
	}
	if c.LinkTTL <= 0 {
		c.LinkTTL = 4 * time.Hour
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = 32
	}
	if c.MaxLive <= 0 {
		c.MaxLive = 2
	}
	if c.Rate <= 0 {
		c.Rate = 10
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Server serves the candidate page, WHIP and the API.
type Server struct {
	cfg     Config
	store   *store
	limiter *limiter
	admin   string
	tls     *tls.Config
	fp      string // SHA-256 fingerprint of a generated certificate
	ln      net.Listener
	http    *http.Server
	base    *url.URL
	now     func() time.Time

	mu     sync.Mutex
	live   int
	closed bool
}

// New checks cfg and prepares TLS when the address is beyond loopback.
// It does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	if cfg.DataDir == "" {
		return nil, errors.New("server: no data folder")
	}
	if cfg.Publish == nil {
		return nil, errors.New("server: no publisher")
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("server: address %q: %w", cfg.Addr, err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("server: data folder: %w", err)
	}
	s := &Server{cfg: cfg, store: newStore(cfg.MaxSessions), limiter: newLimiter(cfg.Rate, 3*cfg.Rate), admin: newToken(), now: time.Now}
	if !isLoopback(host) || cfg.CertFile != "" {
		s.tls, s.fp, err = loadOrCreateTLS(cfg, host)
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// isLoopback reports whether host names only this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Listen binds the address (port 0 picks a free one) and writes
// serve.json for `unmask session new`.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	base, err := s.publicBase(ln.Addr().(*net.TCPAddr))
	if err != nil {
		ln.Close()
		return err
	}
	s.base = base
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		TLSConfig:         s.tls,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelDebug),
	}
	if err := s.writeServeFile(); err != nil {
		ln.Close()
		return err
	}
	return nil
}

// publicBase is the URL the links start with.
func (s *Server) publicBase(a *net.TCPAddr) (*url.URL, error) {
	if s.cfg.PublicURL != "" {
		u, err := url.Parse(s.cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("server: public URL %q is not an http(s) URL", s.cfg.PublicURL)
		}
		return u, nil
	}
	scheme := "http"
	if s.tls != nil {
		scheme = "https"
	}
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = lanAddress()
	}
	return &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, fmt.Sprint(a.Port))}, nil
}

// lanAddress is the first non-loopback IPv4 address, for links that a
// candidate on the same network can open.
func lanAddress() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return "127.0.0.1"
}

// ServeFile is serve.json: how `unmask session new` reaches a running
// server. Written 0600 because the admin token creates sessions.
type ServeFile struct {
	URL         string `json:"url"`
	AdminToken  string `json:"admin_token"`
	PID         int    `json:"pid"`
	Fingerprint string `json:"tls_sha256,omitempty"`
}

// ServeFileName is the file in the data folder that names the running server.
const ServeFileName = "serve.json"

func (s *Server) writeServeFile() error {
	b, _ := json.MarshalIndent(ServeFile{URL: s.base.String(), AdminToken: s.admin, PID: os.Getpid(), Fingerprint: s.fp}, "", "  ")
	return writePrivate(filepath.Join(s.cfg.DataDir, ServeFileName), b)
}

// writePrivate writes a 0600 file atomically.
func writePrivate(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Serve answers requests until ctx ends or Close is called.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	var err error
	if s.tls != nil {
		err = s.http.ServeTLS(s.ln, "", "")
	} else {
		err = s.http.Serve(s.ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// BaseURL is where the server can be reached (after Listen).
func (s *Server) BaseURL() string { return s.base.String() }

// AdminToken authorises the API.
func (s *Server) AdminToken() string { return s.admin }

// Fingerprint is the SHA-256 of a generated certificate, "" otherwise.
func (s *Server) Fingerprint() string { return s.fp }

// NewSession opens an interview session and returns its links.
func (s *Server) NewSession() (SessionInfo, error) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return SessionInfo{}, ErrClosed
	}
	ss, err := s.store.create(s.now(), s.cfg.LinkTTL)
	if err != nil {
		return SessionInfo{}, err
	}
	info := s.info(ss, false)
	info.Token = ss.Token
	return info, nil
}

// info describes ss; withStatus adds the live call's status.
func (s *Server) info(ss *Session, withStatus bool) SessionInfo {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	in := SessionInfo{
		ID:           ss.ID,
		CandidateURL: s.base.JoinPath("join", ss.Token).String(),
		WHIPURL:      s.base.JoinPath("whip", ss.ID).String(),
		Created:      ss.Created.UTC(),
		Expires:      ss.Expires.UTC(),
		Live:         ss.pub != nil,
		Takes:        ss.takes,
	}
	if withStatus && ss.pub != nil {
		in.Status = ss.pub.Status()
	}
	return in
}

// Close stops listening and ends every live call.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	var err error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = s.http.Shutdown(ctx)
		cancel()
	} else if s.ln != nil {
		err = s.ln.Close()
	}
	for _, ss := range s.store.list() {
		s.endCall(ss, "server_closed")
	}
	os.Remove(filepath.Join(s.cfg.DataDir, ServeFileName))
	return err
}

// EndSession ends the session's call, if one is live, and forgets the
// session, so its link accepts no further publish.
func (s *Server) EndSession(id string) error {
	ss := s.store.get(id)
	if ss == nil {
		return ErrNoSession
	}
	s.endCall(ss, "normal")
	s.store.remove(ss.ID)
	return nil
}

// endCall closes the session's live call, if any.
func (s *Server) endCall(ss *Session, reason string) {
	ss.mu.Lock()
	pub := ss.pub
	ss.pub, ss.resource = nil, ""
	ss.mu.Unlock()
	if pub != nil {
		if err := pub.Close(reason); err != nil {
			s.cfg.Logger.Warn("closing a call", "session", ss.ID, "err", err)
		}
		s.mu.Lock()
		s.live--
		s.mu.Unlock()
	}
}
