package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// tokenBytes is 256 bits: well beyond the 128 bits an unguessable link
// needs, so online guessing at the rate limit never gets near.
const tokenBytes = 32

// newToken returns a URL-safe random token of tokenBytes.
func newToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newID returns a short random identifier for URLs and folder names; it
// grants nothing by itself.
func newID() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sameToken compares in constant time.
func sameToken(got, want string) bool {
	return len(want) > 0 && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
