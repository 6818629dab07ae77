// Package webbridge serves the built Unmask frontend to an ordinary browser
// with the Go services bound the way the Wails window binds them: every
// exported method of a bound *T from package p becomes the promise-returning
// function window.go.p.T.Method, and events the services emit reach the
// page's window.runtime.EventsOn listeners. The same frontend then runs in
// headless Chromium for end-to-end tests, or in a browser tab for a user.
//
// The page talks to the bridge over three endpoints under /bridge/:
// runtime.js (window.go and window.runtime, injected as the first script of
// every index.html), call (one JSON POST per method call) and events (a
// text/event-stream of everything Emit sends).
//
// # Security
//
// Serve the handler on 127.0.0.1 only: it calls the real services for
// whoever holds the token. Every /bridge/ request must carry the token
// (header X-Bridge-Token or query parameter token), compared in constant
// time; the token is written into the page, so the handler also refuses any
// Host that is not a loopback address or "localhost" (which stops DNS
// rebinding from reading the page) and any cross-origin /bridge/ request
// (Origin or Sec-Fetch-Site naming another site). Call bodies are limited to
// Config.MaxBody bytes.
//
// # Concurrency
//
// A Bridge is safe for concurrent use. Each call runs in the goroutine of
// its own HTTP request, so a slow method never holds up another, and a
// panicking method is recovered and reported to the page as an error. Emit
// never blocks on a page: each connected page has a bounded queue, and when
// a page falls behind its oldest events are dropped and counted (Dropped).
// Close ends the event streams; calls keep working until the server stops.
package webbridge
