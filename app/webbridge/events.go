package webbridge

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// eventMessage is one event on the stream, shaped like the message Wails
// hands its page runtime: the callbacks get Data spread as arguments.
type eventMessage struct {
	Name string `json:"name"`
	Data []any  `json:"data"`
}

// Emit sends an event with one JSON-encodable payload to every connected
// page, whose EventsOn(event) callbacks get payload as their argument. It
// satisfies the Emit method of app.Runtime. Emit encodes payload before it
// returns and never waits for a page: a page that falls behind loses its
// oldest events (counted by Dropped). A page with no listener for event
// ignores it, as the Wails window does. A payload that cannot be encoded
// is logged and dropped.
func (b *Bridge) Emit(event string, payload any) {
	msg, err := json.Marshal(eventMessage{Name: event, Data: []any{payload}})
	if err != nil {
		b.logLimited("webbridge: event dropped: cannot encode its payload", "event", event, "err", err)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		if c.push(msg) {
			b.dropped.Add(1)
		}
	}
}

// serveEvents streams events to one page as text/event-stream, one
// `data: {"name":...,"data":[...]}` per event, until the page goes away,
// stops reading for writeTimeout, or the bridge closes.
func (b *Bridge) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server does not reset a deadline between requests on one
	// connection, so clear ours for the next request; this runs after
	// removeClient, when Close can no longer cut it short.
	defer rc.SetWriteDeadline(time.Time{})
	c := newClient(clientQueueSize)
	c.abort = func() { rc.SetWriteDeadline(time.Now()) }
	if !b.addClient(c) {
		http.Error(w, errClosed.Error(), http.StatusServiceUnavailable)
		return
	}
	defer b.removeClient(c)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// retry: how long the EventSource waits before it reconnects.
	if !b.write(w, rc, []byte("retry: 1000\n\n")) {
		return
	}

	keepAlive := time.NewTicker(keepAliveEvery)
	defer keepAlive.Stop()
	var batch [][]byte
	var buf []byte
	for {
		select {
		case <-r.Context().Done():
			return
		case <-b.done:
			return
		case <-keepAlive.C:
			buf = append(buf[:0], ": keep-alive\n\n"...)
		case <-c.ready:
			batch = c.take(batch[:0])
			buf = buf[:0]
			for i, msg := range batch {
				buf = append(buf, "data: "...)
				buf = append(buf, msg...)
				buf = append(buf, "\n\n"...)
				batch[i] = nil
			}
		}
		if !b.write(w, rc, buf) {
			return
		}
	}
}

// write sends p and flushes it, and reports whether the stream goes on.
func (b *Bridge) write(w http.ResponseWriter, rc *http.ResponseController, p []byte) bool {
	// Set the deadline before looking at done: Close closes done before it
	// cuts the deadline short, so either this sees done or the write ends
	// at once.
	rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	select {
	case <-b.done:
		return false
	default:
	}
	if _, err := w.Write(p); err != nil {
		return false
	}
	return rc.Flush() == nil
}

func (b *Bridge) addClient(c *client) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.clients[c] = struct{}{}
	b.streams.Add(1)
	return true
}

func (b *Bridge) removeClient(c *client) {
	b.mu.Lock()
	delete(b.clients, c)
	b.mu.Unlock()
	b.streams.Done()
}

// logLimited logs at most once a second, so a payload that fails on every
// frame does not flood the log.
func (b *Bridge) logLimited(msg string, args ...any) {
	now := time.Now().UnixNano()
	last := b.lastLog.Load()
	if now-last < int64(time.Second) || !b.lastLog.CompareAndSwap(last, now) {
		return
	}
	slog.Warn(msg, args...)
}
