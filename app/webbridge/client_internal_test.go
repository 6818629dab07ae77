package webbridge

import (
	"strconv"
	"testing"
)

func TestClientQueueDropsOldest(t *testing.T) {
	tests := []struct {
		name        string
		size, push  int
		wantDropped int
		wantFirst   int // the oldest event still queued
	}{
		{"under", 4, 3, 0, 0},
		{"full", 4, 4, 0, 0},
		{"over by one", 4, 5, 1, 1},
		{"over many times", 4, 23, 19, 19},
		{"size one", 1, 3, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(tt.size)
			dropped := 0
			for i := range tt.push {
				if c.push([]byte(strconv.Itoa(i))) {
					dropped++
				}
			}
			if dropped != tt.wantDropped {
				t.Errorf("dropped %d, want %d", dropped, tt.wantDropped)
			}
			select {
			case <-c.ready:
			default:
				t.Error("ready not signalled after push")
			}
			got := c.take(nil)
			if want := tt.push - tt.wantDropped; len(got) != want {
				t.Fatalf("took %d events, want %d", len(got), want)
			}
			for i, msg := range got {
				if want := strconv.Itoa(tt.wantFirst + i); string(msg) != want {
					t.Errorf("event %d = %s, want %s (oldest first)", i, msg, want)
				}
			}
			if again := c.take(nil); len(again) != 0 {
				t.Errorf("second take got %d events, want 0", len(again))
			}
		})
	}
}
