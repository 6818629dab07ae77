package match_test

import (
	"fmt"
	"image"
	"math"
	"math/rand"
	"sort"
	"testing"

	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/idcheck/match"
	"github.com/unmaskhq/unmask/testdata/clips"
	"github.com/unmaskhq/unmask/testdata/faces"
)

// person is one identity of the pairs evaluation: descriptors of document
// portraits made from their face, and groups of live descriptors (one
// group stands for several frames of one interview moment).
type person struct {
	name      string
	portraits [][]float32
	live      [][][]float32
}

// portraitBox is the printed portrait around a face box: ICAO 9303's
// 35x45 mm head-and-shoulders framing, the face about 60% of the width.
func portraitBox(face image.Rectangle, bounds image.Rectangle) image.Rectangle {
	w := float64(face.Dx()) / 0.6
	h := w * 45 / 35
	cx := float64(face.Min.X+face.Max.X) / 2
	cy := float64(face.Min.Y+face.Max.Y)/2 + 0.05*h
	return image.Rect(int(cx-w/2), int(cy-h/2), int(cx+w/2), int(cy+h/2)).Intersect(bounds)
}

// printAndFilm makes what the check sees of a portrait: printed at
// 350x450 px (10 px/mm) with print noise, filmed by a webcam with the card
// 20-40% of a 640 px frame wide (the portrait then 45-90 px wide), blurred
// and JPEG-compressed, and rectified back up to 350x450.
func printAndFilm(tb testing.TB, src gocv.Mat, seed int64) gocv.Mat {
	tb.Helper()
	rng := rand.New(rand.NewSource(seed))
	gocv.SetRNGSeed(int(seed)) // RandN below
	printed := gocv.NewMat()
	defer printed.Close()
	gocv.Resize(src, &printed, image.Pt(350, 450), 0, 0, gocv.InterpolationCubic)
	noise := gocv.NewMatWithSize(450, 350, gocv.MatTypeCV8UC3)
	defer noise.Close()
	gocv.RandN(&noise, gocv.NewScalar(128, 128, 128, 0), gocv.NewScalar(3, 3, 3, 0))
	gocv.AddWeighted(printed, 1, noise, 1, -128, &printed) // print noise, σ 3 grey levels
	scale := 0.13 + 0.13*rng.Float64()                     // 856 px card → 20-40% of 640 px
	filmed := gocv.NewMat()
	defer filmed.Close()
	gocv.Resize(printed, &filmed, image.Point{}, scale, scale, gocv.InterpolationArea)
	gocv.GaussianBlur(filmed, &filmed, image.Pt(3, 3), 0.6+0.4*rng.Float64(), 0, gocv.BorderReflect)
	buf, err := gocv.IMEncodeWithParams(gocv.JPEGFileExt, filmed, []int{gocv.IMWriteJpegQuality, 60 + rng.Intn(25)})
	if err != nil {
		tb.Fatal(err)
	}
	decoded, err := gocv.IMDecode(buf.GetBytes(), gocv.IMReadColor)
	buf.Close()
	if err != nil {
		tb.Fatal(err)
	}
	defer decoded.Close()
	out := gocv.NewMat()
	gocv.Resize(decoded, &out, image.Pt(350, 450), 0, 0, gocv.InterpolationCubic)
	return out
}

// clipPerson samples a real clip every step seconds: each sample gives a
// live group (that frame and the next four) and, from the first frame, a
// printed-and-filmed portrait.
func clipPerson(tb testing.TB, m *match.Matcher, name string, clipNames []string, step float64, seed int64) person {
	tb.Helper()
	p := person{name: name}
	for _, c := range clipNames {
		vc, err := gocv.VideoCaptureFile(clips.Path(tb, c))
		if err != nil {
			tb.Fatal(err)
		}
		fps := vc.Get(gocv.VideoCaptureFPS)
		every := int(math.Round(step * fps))
		img := gocv.NewMat()
		var group [][]float32
		for i := 0; vc.Read(&img) && !img.Empty(); i++ {
			phase := i % every
			if phase >= 5 {
				continue
			}
			f, err := m.Largest(img, image.Rectangle{})
			if err != nil {
				continue
			}
			group = append(group, f.Descriptor)
			if phase == 0 {
				crop := img.Region(portraitBox(f.Box, image.Rect(0, 0, img.Cols(), img.Rows())))
				pf := printAndFilm(tb, crop, seed+int64(i))
				crop.Close()
				if pd, err := m.Largest(pf, image.Rectangle{}); err == nil {
					p.portraits = append(p.portraits, pd.Descriptor)
				}
				pf.Close()
			}
			if phase == 4 && len(group) > 0 {
				p.live = append(p.live, group)
				group = nil
			}
		}
		img.Close()
		vc.Close()
	}
	return p
}

// photoPeople turns every face of the demo photographs into a person: the
// portrait is printed and filmed from the photograph, the live group is
// the face at three webcam-like sizes. Weaker than the clips' genuine
// pairs (the same photograph on both sides), so the clips set the
// false reject rate and the photographs mainly the false accept rate.
func photoPeople(tb testing.TB, m *match.Matcher) []person {
	tb.Helper()
	var out []person
	for _, name := range faces.Names(tb) {
		img, err := gocv.IMDecode(faces.Photos(tb)[name], gocv.IMReadColor)
		if err != nil || img.Empty() {
			tb.Fatalf("%s: %v", name, err)
		}
		fs, err := m.Faces(img, image.Rectangle{})
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		for k, f := range fs {
			p := person{name: fmt.Sprintf("%s#%d", name, k)}
			box := portraitBox(f.Box, image.Rect(0, 0, img.Cols(), img.Rows()))
			crop := img.Region(box)
			var group [][]float32
			for _, w := range []int{220, 160, 120} {
				small := gocv.NewMat()
				s := float64(w) / float64(box.Dx())
				gocv.Resize(crop, &small, image.Point{}, s, s, gocv.InterpolationArea)
				if lf, err := m.Largest(small, image.Rectangle{}); err == nil {
					group = append(group, lf.Descriptor)
				}
				small.Close()
			}
			for s := int64(0); s < 2; s++ {
				pf := printAndFilm(tb, crop, int64(k)*10+s)
				if pd, err := m.Largest(pf, image.Rectangle{}); err == nil {
					p.portraits = append(p.portraits, pd.Descriptor)
				}
				pf.Close()
			}
			crop.Close()
			if len(group) > 0 && len(p.portraits) > 0 {
				p.live = [][][]float32{group}
				out = append(out, p)
			}
		}
		img.Close()
	}
	return out
}

// TestPairs is the pairs evaluation that sets Threshold: printed-and-
// filmed portraits against live faces of the same person (genuine) and of
// everyone else (impostor), each decided over a group of live frames.
func TestPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("pairs evaluation decodes the whole of three clips")
	}
	m := newMatcher(t)
	people := []person{
		clipPerson(t, m, "franck", []string{clips.Franck}, 20, 1),
		clipPerson(t, m, "cap", []string{clips.Cap12, clips.Cap13}, 6, 2),
	}
	photo := photoPeople(t, m)
	people = append(people, photo...)
	if len(photo) < 18 {
		t.Fatalf("%d faces described in the demo photographs, want at least 18", len(photo))
	}
	var genuine, impostor []float64
	decide := func(portrait []float32, group [][]float32) float64 {
		d, err := match.Decide(portrait, group, match.Threshold)
		if err != nil {
			t.Fatal(err)
		}
		return d.Distance
	}
	for i, p := range people {
		for pi, portrait := range p.portraits {
			// Genuine: live moments of the same person, skipping the one
			// the portrait was made from.
			for gi, g := range p.live {
				if p.name != "franck" && p.name != "cap" || gi != pi {
					genuine = append(genuine, decide(portrait, g))
				}
			}
			for j, q := range people {
				if j == i {
					continue
				}
				// One live moment of each other person per portrait keeps
				// the clips from dominating the impostor side.
				d := decide(portrait, q.live[pi%len(q.live)])
				if d < 0.55 {
					t.Logf("close impostor: portrait %s/%d vs %s: %.3f", p.name, pi, q.name, d)
				}
				impostor = append(impostor, d)
			}
		}
	}
	sort.Float64s(genuine)
	sort.Float64s(impostor)
	t.Logf("people %d (2 clip identities, %d photographed faces); genuine pairs %d, impostor pairs %d",
		len(people), len(photo), len(genuine), len(impostor))
	t.Logf("genuine median distance: min %.3f median %.3f p95 %.3f max %.3f",
		genuine[0], genuine[len(genuine)/2], genuine[len(genuine)*95/100], genuine[len(genuine)-1])
	t.Logf("impostor median distance: min %.3f p5 %.3f median %.3f",
		impostor[0], impostor[len(impostor)*5/100], impostor[len(impostor)/2])
	rates := func(thr float64) (far, frr float64) {
		for _, d := range impostor {
			if d < thr {
				far++
			}
		}
		for _, d := range genuine {
			if d >= thr {
				frr++
			}
		}
		return far / float64(len(impostor)), frr / float64(len(genuine))
	}
	for _, thr := range []float64{0.45, 0.5, 0.53, 0.55, 0.56, 0.57, 0.58, 0.6, 0.65} {
		far, frr := rates(thr)
		t.Logf("threshold %.2f: FAR %.2f%% FRR %.2f%%", thr, 100*far, 100*frr)
	}
	far, frr := rates(match.Threshold)
	t.Logf("at Threshold %.2f: FAR %.2f%% (%d of %d), FRR %.2f%% (%d of %d)", match.Threshold,
		100*far, int(math.Round(far*float64(len(impostor)))), len(impostor),
		100*frr, int(math.Round(frr*float64(len(genuine)))), len(genuine))
	if far > 0.015 {
		t.Errorf("false accept rate %.2f%% at %.2f, want ≤ 1.5%%", 100*far, match.Threshold)
	}
	if frr > 0.05 {
		t.Errorf("false reject rate %.2f%% at %.2f, want ≤ 5%%", 100*frr, match.Threshold)
	}
}
