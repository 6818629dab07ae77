package webbridge

import "sync"

// client is the queue of one connected page's event stream: a ring of
// encoded events that Emit fills and the page's stream handler drains.
// When the ring is full the oldest event is dropped, so Emit never waits.
type client struct {
	mu   sync.Mutex
	ring [][]byte
	head int // index of the oldest event
	n    int // events queued

	ready chan struct{} // capacity 1: there is something to take
	abort func()        // unblocks a write in progress; set before the client is added
}

func newClient(size int) *client {
	return &client{ring: make([][]byte, size), ready: make(chan struct{}, 1)}
}

// push queues msg and reports whether the oldest event was dropped to make
// room. It does not block.
func (c *client) push(msg []byte) (dropped bool) {
	c.mu.Lock()
	if c.n == len(c.ring) {
		c.ring[c.head] = nil
		c.head = (c.head + 1) % len(c.ring)
		c.n--
		dropped = true
	}
	c.ring[(c.head+c.n)%len(c.ring)] = msg
	c.n++
	c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
	return dropped
}

// take appends every queued event to dst, oldest first, and empties the
// queue.
func (c *client) take(dst [][]byte) [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ; c.n > 0; c.n-- {
		dst = append(dst, c.ring[c.head])
		c.ring[c.head] = nil
		c.head = (c.head + 1) % len(c.ring)
	}
	return dst
}
