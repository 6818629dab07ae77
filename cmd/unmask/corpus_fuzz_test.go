package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadCorpus: a corpus.json from anywhere either loads with every
// named file inside the corpus and every label 0 or 1, or fails cleanly.
func FuzzReadCorpus(f *testing.F) {
	f.Add([]byte(`{"schema":1,"clips":[{"id":"a","video":"clips/a.mp4","audio":"clips/a.wav","split":"test","family":"real","label":0}]}`))
	f.Add([]byte(`{"schema":1,"clips":[{"id":"a","video":"../../etc/passwd","label":1}]}`))
	f.Add([]byte(`{"schema":1,"clips":[{"id":"a","video":"/abs.mp4","label":7}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "corpus.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := readCorpus(dir)
		if err != nil {
			return
		}
		for _, cl := range c.Clips {
			for _, p := range []string{cl.Video, cl.Audio} {
				if p != "" && !filepath.IsLocal(p) {
					t.Fatalf("clip %q names %q outside the corpus", cl.ID, p)
				}
			}
			if cl.Label != 0 && cl.Label != 1 {
				t.Fatalf("label %d accepted", cl.Label)
			}
		}
	})
}
