package server

import (
	"strings"
	"testing"
	"time"
)

func TestTokensAreLongAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok := newToken()
		if len(tok) != 43 || strings.ContainsAny(tok, "+/=") {
			t.Fatalf("token %q: want 43 URL-safe characters (256 bits)", tok)
		}
		if seen[tok] {
			t.Fatal("a token repeated")
		}
		seen[tok] = true
	}
	if sameToken("", "") || sameToken("a", "") || !sameToken("abc", "abc") || sameToken("abd", "abc") {
		t.Fatal("sameToken")
	}
}

func TestExpiredLinksAreRefused(t *testing.T) {
	st := newStore(2)
	t0 := time.Now()
	ss, err := st.create(t0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if st.byToken(ss.Token, t0.Add(59*time.Minute)) != ss {
		t.Fatal("a valid link was refused")
	}
	if st.byToken(ss.Token, t0.Add(61*time.Minute)) != nil {
		t.Fatal("an expired link was accepted")
	}
	if st.byToken(ss.Token[:42]+"x", t0) != nil {
		t.Fatal("a wrong token was accepted")
	}
	if _, err := st.create(t0, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := st.create(t0, time.Hour); err != ErrTooManySessions {
		t.Fatalf("third session: %v, want ErrTooManySessions", err)
	}
	// Expired idle sessions make room.
	if _, err := st.create(t0.Add(2*time.Hour), time.Hour); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	l := newLimiter(10, 30)
	now := time.Now()
	ok := 0
	for i := 0; i < 100; i++ {
		if l.allow("10.0.0.1:5000", now) {
			ok++
		}
	}
	if ok != 30 {
		t.Fatalf("%d of 100 instant requests allowed, want the burst of 30", ok)
	}
	if !l.allow("10.0.0.2:5000", now) {
		t.Fatal("another address was limited by the first")
	}
	if !l.allow("10.0.0.1:6000", now.Add(time.Second)) {
		t.Fatal("no refill after a second")
	}
}

func FuzzCheckOffer(f *testing.F) {
	f.Add("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n")
	f.Add("v=0\r\n")
	f.Add("")
	f.Add("m=audio 0 RTP 0\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		_ = checkOffer([]byte(s)) // must not panic
	})
}
