// Package app holds the services the desktop window calls: each exported
// method of a bound service becomes a JavaScript function under
// window.go.app.<Service>, and events.go lists the events the services push
// to the window. Together they are the contract with frontend/src/api.
//
// This is the only package that imports the Wails runtime, and only in
// runtime.go: services talk to the window through the Runtime interface, so
// tests run them with a fake and no display. Services never import the
// frontend and the engine (analysis/...) never imports this package.
//
// Lifecycle: main builds the services, binds them and hands them to a
// Lifecycle, whose Startup and Shutdown Wails calls once each. A service's
// exported methods may be called concurrently from Wails' goroutines, so
// every service is safe for concurrent use.
package app
