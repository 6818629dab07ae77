package report_test

import (
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/evidence"
	"github.com/unmaskhq/unmask/internal/facetest"
	"github.com/unmaskhq/unmask/internal/matleak"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestMain(m *testing.M) {
	code := matleak.Run(m)
	facetest.Close()
	os.Exit(code)
}

// tracked is a frame of cap13 where the real pipeline found a face.
type tracked struct {
	Index int
	Time  time.Duration
	Face  analysis.Face
}

var (
	facesMu sync.Mutex
	faces   map[int]tracked // by the frame asked for
)

// realFace returns the first frame at or after want where the real face
// pipeline tracked a face in cap13. The clip is tracked once per binary.
func realFace(tb testing.TB, want int) tracked {
	tb.Helper()
	facesMu.Lock()
	defer facesMu.Unlock()
	if faces == nil {
		wanted := []int{10, 100, 600}
		got := map[int]tracked{}
		facetest.Track(tb, clips.Cap13, 25*time.Second, func(r analysis.FrameResult) {
			for _, w := range wanted {
				if _, done := got[w]; !done && r.Index >= w && r.HasFace() && len(r.Face.Landmarks) == analysis.NumLandmarks {
					got[w] = tracked{Index: r.Index, Time: r.Time, Face: *r.Face}
				}
			}
		})
		faces = got
	}
	f, ok := faces[want]
	if !ok {
		tb.Fatalf("no face tracked in %s at or after frame %d", clips.Cap13, want)
	}
	return f
}

// openDir opens a fresh evidence directory below a test temp dir.
func openDir(tb testing.TB) *evidence.Dir {
	tb.Helper()
	d, err := evidence.Open(filepath.Join(tb.TempDir(), "out"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// privateTemp points os.TempDir at a fresh directory, so a test can see
// every temporary file that was left behind.
func privateTemp(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// leftovers lists the temporary files in tmp and the hidden (temporary)
// files in the evidence directory.
func leftovers(t *testing.T, tmp string, dir *evidence.Dir) []string {
	t.Helper()
	var out []string
	ents, _ := os.ReadDir(tmp)
	for _, e := range ents {
		out = append(out, filepath.Join(tmp, e.Name()))
	}
	ents, _ = os.ReadDir(dir.Path())
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(dir.Path(), e.Name()))
		}
	}
	return out
}

func decodePNG(tb testing.TB, path string) image.Image {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatalf("decode %s: %v", path, err)
	}
	return img
}

// probed is what ffprobe says of a clip.
type probed struct {
	Duration   float64
	Codecs     []string // per stream, video first as ffmpeg writes it
	Width      int
	Height     int
	PixFmt     string
	FastStart  bool
	AudioCodec string
}

func probe(tb testing.TB, path string) probed {
	tb.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path).Output()
	if err != nil {
		tb.Fatalf("ffprobe %s: %v", path, err)
	}
	var j struct {
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
		Streams []struct {
			CodecType string `json:"codec_type"`
			CodecName string `json:"codec_name"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
			PixFmt    string `json:"pix_fmt"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &j); err != nil {
		tb.Fatal(err)
	}
	var p probed
	p.Duration, _ = strconv.ParseFloat(j.Format.Duration, 64)
	for _, s := range j.Streams {
		p.Codecs = append(p.Codecs, s.CodecName)
		switch s.CodecType {
		case "video":
			p.Width, p.Height, p.PixFmt = s.Width, s.Height, s.PixFmt
		case "audio":
			p.AudioCodec = s.CodecName
		}
	}
	// +faststart puts the index (moov) before the media data (mdat).
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	moov, mdat := strings.Index(string(b), "moov"), strings.Index(string(b), "mdat")
	p.FastStart = moov >= 0 && mdat >= 0 && moov < mdat
	return p
}

// makeVideo encodes a synthetic test pattern (with a tone when audio) of
// the given size and length with ffmpeg.
func makeVideo(tb testing.TB, w, h int, seconds float64, audio bool) string {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "synthetic.mp4")
	d := strconv.FormatFloat(seconds, 'f', 2, 64)
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error",
		"-f", "lavfi", "-i", "testsrc=size=" + strconv.Itoa(w) + "x" + strconv.Itoa(h) + ":rate=25:duration=" + d}
	if audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:duration="+d, "-c:a", "aac")
	}
	// 4:4:4 allows odd sides, which the clip must then make even.
	args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", out)
	if b, err := exec.CommandContext(context.Background(), "ffmpeg", args...).CombinedOutput(); err != nil {
		tb.Fatalf("make test video: %v: %s", err, b)
	}
	return out
}
