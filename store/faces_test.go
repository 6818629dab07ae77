package store_test

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/store"
)

// descriptor is a seeded random descriptor with values of dlib's scale.
func descriptor(seed int64) []float32 {
	rng := rand.New(rand.NewSource(seed))
	d := make([]float32, store.DescriptorLen)
	for i := range d {
		d[i] = float32(rng.NormFloat64() * 0.1)
	}
	return d
}

// near returns d moved by dist along its first axis.
func near(d []float32, dist float64) []float32 {
	out := append([]float32(nil), d...)
	out[0] += float32(dist)
	return out
}

func TestFacesGallery(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	for _, id := range []string{"mon", "tue", "wed"} {
		if err := db.PutSession(ctx, finished(id, t0)); err != nil {
			t.Fatal(err)
		}
	}
	ana := descriptor(1)
	add := func(session, name string, d []float32) store.Face {
		t.Helper()
		f, err := db.AddFace(ctx, store.Face{SessionID: session, Name: name, Source: store.FaceLive, SeenAt: t0, Descriptor: d})
		if err != nil {
			t.Fatalf("AddFace: %v", err)
		}
		return f
	}
	add("mon", "Ana Silva", ana)
	add("tue", "Bea Costa", near(ana, 0.3)) // the same face under another name
	add("tue", "Bea Costa", descriptor(2))
	add("wed", "Carla Dias", descriptor(3))

	got, err := db.SimilarFaces(ctx, near(ana, 0.1), 0.6, 0, "wed")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "Ana Silva" || got[1].Name != "Bea Costa" {
		t.Fatalf("SimilarFaces = %+v, want Ana then Bea", got)
	}
	if math.Abs(got[0].Distance-0.1) > 1e-6 || math.Abs(got[1].Distance-0.2) > 1e-6 {
		t.Errorf("distances %.4f %.4f, want 0.1 0.2", got[0].Distance, got[1].Distance)
	}
	if got[0].SessionTitle != "Interview mon" || !got[0].StartedAt.Equal(t0) {
		t.Errorf("session facts %q %v", got[0].SessionTitle, got[0].StartedAt)
	}
	// The asking session is left out; limit applies after sorting.
	got, _ = db.SimilarFaces(ctx, ana, 0.6, 1, "mon")
	if len(got) != 1 || got[0].SessionID != "tue" {
		t.Errorf("excluding mon: %+v", got)
	}
	// Descriptors survive the round trip bit for bit.
	faces, err := db.Faces(ctx, "mon")
	if err != nil || len(faces) != 1 {
		t.Fatalf("Faces(mon) = %v, %v", faces, err)
	}
	for i := range ana {
		if faces[0].Descriptor[i] != ana[i] {
			t.Fatalf("descriptor[%d] = %v, want %v", i, faces[0].Descriptor[i], ana[i])
		}
	}
	// Deleting a session deletes its faces: biometric data goes with it.
	if err := db.DeleteSession(ctx, "mon"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.SimilarFaces(ctx, ana, 0.6, 0, "")
	if len(got) != 1 || got[0].SessionID != "tue" {
		t.Errorf("after deleting mon: %+v", got)
	}
}

func TestAddFaceRefuses(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if err := db.PutSession(ctx, finished("s", t0)); err != nil {
		t.Fatal(err)
	}
	nan := descriptor(1)
	nan[5] = float32(math.NaN())
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'a'
	}
	ok := store.Face{SessionID: "s", Source: store.FaceDocument, SeenAt: t0, Descriptor: descriptor(1)}
	for name, tc := range map[string]struct {
		edit func(f *store.Face)
		want error
	}{
		"no session": {func(f *store.Face) { f.SessionID = "" }, store.ErrInvalid},
		"unknown":    {func(f *store.Face) { f.SessionID = "nope" }, store.ErrNotFound},
		"source":     {func(f *store.Face) { f.Source = "scan" }, store.ErrInvalid},
		"short":      {func(f *store.Face) { f.Descriptor = f.Descriptor[:10] }, store.ErrInvalid},
		"nan":        {func(f *store.Face) { f.Descriptor = nan }, store.ErrInvalid},
		"no time":    {func(f *store.Face) { f.SeenAt = time.Time{} }, store.ErrInvalid},
		"long name":  {func(f *store.Face) { f.Name = string(long) }, store.ErrInvalid},
	} {
		f := ok
		tc.edit(&f)
		if _, err := db.AddFace(ctx, f); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, err := db.SimilarFaces(ctx, []float32{1}, 0.6, 0, ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("short query: %v", err)
	}
	if _, err := db.AddFace(ctx, ok); err != nil {
		t.Errorf("valid face: %v", err)
	}
}

// BenchmarkSimilarFaces searches a gallery of 10 000 faces.
func BenchmarkSimilarFaces(b *testing.B) {
	ctx := context.Background()
	db, _ := openTemp(b)
	for s := 0; s < 100; s++ {
		id := string(rune('a'+s%26)) + string(rune('a'+s/26))
		if err := db.PutSession(ctx, finished(id, t0)); err != nil {
			b.Fatal(err)
		}
		for k := 0; k < 100; k++ {
			if _, err := db.AddFace(ctx, store.Face{SessionID: id, Source: store.FaceLive, SeenAt: t0, Descriptor: descriptor(int64(s*100 + k))}); err != nil {
				b.Fatal(err)
			}
		}
	}
	q := descriptor(7)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.SimilarFaces(ctx, q, 0.6, 5, ""); err != nil {
			b.Fatal(err)
		}
	}
}
