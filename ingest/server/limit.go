package server

import (
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter holds a token bucket per client address, so one client cannot
// guess tokens or flood publishes; idle buckets are forgotten.
type limiter struct {
	mu      sync.Mutex
	perSec  float64
	burst   int
	clients map[string]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxClients bounds the table: beyond it, new addresses share one bucket.
const maxClients = 4096

func newLimiter(perSec, burst float64) *limiter {
	return &limiter{perSec: perSec, burst: max(1, int(burst)), clients: map[string]*client{}}
}

func (l *limiter) allow(addr string, now time.Time) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, c := range l.clients {
			if now.Sub(c.seen) > 5*time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[host]
	if c == nil {
		if len(l.clients) >= maxClients {
			host = "overflow"
			c = l.clients[host]
		}
		if c == nil {
			c = &client{lim: rate.NewLimiter(rate.Limit(l.perSec), l.burst)}
			l.clients[host] = c
		}
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}

func (l *limiter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.allow(r.RemoteAddr, time.Now()) {
			w.Header().Set("Retry-After", "1")
			httpError(w, http.StatusTooManyRequests, "too many requests")
			return
		}
		h.ServeHTTP(w, r)
	})
}
