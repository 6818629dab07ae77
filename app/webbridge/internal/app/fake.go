// Package app holds Fake, the service the webbridge tests bind. It is named
// app, like the Unmask services package, so that the bridge binds it under
// window.go.app just as the window binds the real services.
package app

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNegative is what Fake.Sqrt returns for a negative number.
var ErrNegative = errors.New("negative number")

// Person is a struct argument with json tags.
type Person struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
}

// Greeting is a struct result with json tags.
type Greeting struct {
	Text  string `json:"text"`
	Adult bool   `json:"adult"`
}

// Fake has methods of every result shape Wails handles. It is safe for
// concurrent use.
type Fake struct {
	// Gate holds Slow until a value is sent or it is closed.
	Gate chan struct{}
}

// NewFake returns a Fake whose Slow waits on a fresh Gate.
func NewFake() *Fake { return &Fake{Gate: make(chan struct{})} }

// Ping returns nothing.
func (f *Fake) Ping() {}

// Add returns a value.
func (f *Fake) Add(a, b int) int { return a + b }

// Check returns only an error: nil when ok, else one with message msg.
func (f *Fake) Check(ok bool, msg string) error {
	if ok {
		return nil
	}
	return errors.New(msg)
}

// Sqrt returns a value and an error: ErrNegative below zero, else the
// integer square root of n rounded down.
func (f *Fake) Sqrt(n int) (int, error) {
	if n < 0 {
		return 0, fmt.Errorf("sqrt %d: %w", n, ErrNegative)
	}
	r := 0
	for (r+1)*(r+1) <= n {
		r++
	}
	return r, nil
}

// Greet takes and returns structs.
func (f *Fake) Greet(p Person) (Greeting, error) {
	if p.Name == "" {
		return Greeting{}, errors.New("no name")
	}
	return Greeting{Text: "Hello, " + p.Name, Adult: p.Age >= 18}, nil
}

// Join is variadic: its last argument arrives as a JSON array.
func (f *Fake) Join(sep string, parts ...string) string { return strings.Join(parts, sep) }

// Nothing returns a nil slice, which the page receives as null.
func (f *Fake) Nothing() []string { return nil }

// Boom panics.
func (f *Fake) Boom() string { panic("boom") }

// Slow returns "slow" once Gate lets it go.
func (f *Fake) Slow() string {
	<-f.Gate
	return "slow"
}
