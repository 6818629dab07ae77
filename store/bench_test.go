package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func BenchmarkPutSession(b *testing.B) {
	db, _ := openTemp(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := db.PutSession(ctx, finished(fmt.Sprint("s", i), t0.Add(time.Duration(i)*time.Second))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSessions100(b *testing.B) {
	db, _ := openTemp(b)
	ctx := context.Background()
	for i := range 1000 {
		if err := db.PutSession(ctx, finished(fmt.Sprint("s", i), t0.Add(time.Duration(i)*time.Second))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		list, err := db.Sessions(ctx, 100)
		if err != nil {
			b.Fatal(err)
		}
		if len(list) != 100 {
			b.Fatalf("%d sessions, want 100", len(list))
		}
	}
}
