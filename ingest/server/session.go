package server

import (
	"encoding/json"
	"sync"
	"time"
)

// Publisher is one live call: what the WHIP endpoint starts from an SDP
// offer. Package live implements it.
type Publisher interface {
	// Answer is the complete SDP answer (every ICE candidate gathered).
	Answer() string
	// SetDeviceFacts passes the candidate page's device report on.
	SetDeviceFacts(raw json.RawMessage) error
	// Status is a snapshot for the API; safe to call at any time.
	Status() any
	// Done is closed when the call ends by itself (peer lost).
	Done() <-chan struct{}
	// Close ends the call and finalises its recording. Idempotent.
	Close(reason string) error
}

// PublishRequest is what a Publisher is started with.
type PublishRequest struct {
	SessionID string
	Resource  string // the WHIP resource id, unique per publish
	Offer     string
	UserAgent string
	Facts     json.RawMessage // device facts sent before the publish, if any
	Take      int             // 1 for the session's first publish, then 2, ...
}

// Session is one interview: a candidate link and its WHIP resource.
type Session struct {
	ID      string
	Token   string
	Created time.Time
	Expires time.Time

	mu       sync.Mutex
	facts    json.RawMessage
	resource string
	pub      Publisher
	takes    int  // publishes so far
	starting bool // a publish is being set up
	ended    bool
}

// SessionInfo is what the API and `unmask session new` show of a session.
type SessionInfo struct {
	ID           string    `json:"id"`
	CandidateURL string    `json:"candidate_url"`
	WHIPURL      string    `json:"whip_url"`
	Token        string    `json:"token,omitempty"`
	Created      time.Time `json:"created"`
	Expires      time.Time `json:"expires"`
	Live         bool      `json:"live"`
	Takes        int       `json:"takes"`
	Status       any       `json:"status,omitempty"`
}

// store holds the open sessions.
type store struct {
	mu       sync.Mutex
	sessions map[string]*Session
	max      int
}

func newStore(max int) *store {
	return &store{sessions: map[string]*Session{}, max: max}
}

// create adds a session that expires after ttl.
func (s *store) create(now time.Time, ttl time.Duration) (*Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	if len(s.sessions) >= s.max {
		return nil, ErrTooManySessions
	}
	ss := &Session{ID: newID(), Token: newToken(), Created: now, Expires: now.Add(ttl)}
	s.sessions[ss.ID] = ss
	return ss, nil
}

// get returns the session with id.
func (s *store) get(id string) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[id]
}

// byToken finds the unexpired session whose token is tok, comparing every
// token in constant time so timing reveals nothing.
func (s *store) byToken(tok string, now time.Time) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *Session
	for _, ss := range s.sessions {
		if sameToken(tok, ss.Token) {
			found = ss
		}
	}
	if found == nil || now.After(found.Expires) {
		return nil
	}
	return found
}

// list returns every session.
func (s *store) list() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		out = append(out, ss)
	}
	return out
}

// remove forgets a session.
func (s *store) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

// pruneLocked forgets expired sessions with no live call.
func (s *store) pruneLocked(now time.Time) {
	for id, ss := range s.sessions {
		ss.mu.Lock()
		idle := ss.pub == nil
		ss.mu.Unlock()
		if idle && now.After(ss.Expires) {
			delete(s.sessions, id)
		}
	}
}
