package video_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmaskhq/unmask/analysis/video"
	"github.com/unmaskhq/unmask/testdata/clips"
)

func TestBadInputs(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T, dir string) string
		want    error
		message string // a substring the error must contain
	}{
		{
			name: "missing file",
			make: func(t *testing.T, dir string) string { return filepath.Join(dir, "nope.mp4") },
			want: video.ErrNotFound,
		},
		{
			name: "empty file",
			make: func(t *testing.T, dir string) string { return writeFile(t, dir, "empty.mp4", nil) },
			want: video.ErrEmpty,
		},
		{
			name:    "text named mp4",
			make:    func(t *testing.T, dir string) string { return writeFile(t, dir, "notes.mp4", []byte("not a video\n")) },
			want:    video.ErrNotVideo,
			message: "ffprobe: ",
		},
		{
			name:    "directory",
			make:    func(t *testing.T, dir string) string { return dir },
			want:    video.ErrNotVideo,
			message: "directory",
		},
		{
			name: "mp4 cut in half, moov at end",
			make: func(t *testing.T, dir string) string {
				src := testsrc(t, dir, "full.mp4", "320x240", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p")
				return halve(t, src, filepath.Join(dir, "cut.mp4"))
			},
			want:    video.ErrNotVideo,
			message: "moov atom not found",
		},
		{
			name: "1x1 video",
			make: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "tiny.mkv")
				ffmpeg(t, "-f", "lavfi", "-i", "color=c=red:s=64x64:r=25:d=0.4", "-vf", "scale=1:1", "-c:v", "ffv1", p)
				return p
			},
			want:    video.ErrTooSmall,
			message: "1x1",
		},
		{
			name: "8200x64 video",
			make: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "wide.mkv")
				ffmpeg(t, "-f", "lavfi", "-i", "color=c=red:s=64x64:r=25:d=0.2", "-vf", "scale=8200:64", "-c:v", "ffv1", p)
				return p
			},
			want:    video.ErrTooLarge,
			message: "8200x64",
		},
		{
			name: "audio only",
			make: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "tone.wav")
				ffmpeg(t, "-f", "lavfi", "-i", "sine=duration=0.5", p)
				return p
			},
			want:    video.ErrNotVideo,
			message: "no video stream",
		},
		{
			name: "still image",
			make: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "still.png")
				ffmpeg(t, "-f", "lavfi", "-i", "testsrc=size=160x120", "-frames:v", "1", p)
				return p
			},
			want:    video.ErrNotVideo,
			message: "still image",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.make(t, t.TempDir())
			ctx := context.Background()

			_, err := video.Probe(ctx, path)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Probe: got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("Probe: got %q, want it to contain %q", err, tt.message)
			}
			t.Logf("Probe: %v", err)

			src, err := video.OpenFile(ctx, path)
			if !errors.Is(err, tt.want) || src != nil {
				t.Errorf("OpenFile: got %v, %v; want nil, %v", src, err, tt.want)
			}
		})
	}
}

func TestProbeNoFFprobe(t *testing.T) {
	path := clips.Path(t, clips.Cap13)
	t.Setenv("PATH", t.TempDir())
	_, err := video.Probe(context.Background(), path)
	if !errors.Is(err, video.ErrNoFFprobe) {
		t.Fatalf("got %v, want ErrNoFFprobe", err)
	}
	if !strings.Contains(err.Error(), "ffmpeg package") {
		t.Errorf("got %q, want it to name the ffmpeg package", err)
	}
}

func TestProbeCancelled(t *testing.T) {
	path := clips.Path(t, clips.Cap13)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := video.Probe(ctx, path); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestProbeClips(t *testing.T) {
	tests := []struct {
		clip          string
		width, height int
		fps           float64
		frames        int64
		duration      time.Duration
	}{
		{clips.Franck, 360, 288, 24, 4800, 200 * time.Second},
		{clips.Cap12, 400, 300, 25, 1337, 53480 * time.Millisecond},
		{clips.Cap13, 400, 300, 25, 765, 30600 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.clip, func(t *testing.T) {
			path := clips.Path(t, tt.clip)
			got, err := video.Probe(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			want := video.Info{
				Path: path, SizeBytes: st.Size(), Container: "mov,mp4,m4a,3gp,3g2,mj2",
				Duration: tt.duration, Bitrate: got.Bitrate,
				Codec: "h264", Width: tt.width, Height: tt.height, FPS: tt.fps,
				DeclaredFrames: tt.frames, PixFmt: "yuv420p",
			}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if got.Bitrate < 100_000 || got.Bitrate > 200_000 {
				t.Errorf("Bitrate = %d, want 100-200 kb/s", got.Bitrate)
			}
			if n := got.ExpectedFrames(); n != tt.frames {
				t.Errorf("ExpectedFrames = %d, want %d", n, tt.frames)
			}
		})
	}
}

func TestInfoJSON(t *testing.T) {
	info, err := video.Probe(context.Background(), clips.Path(t, clips.Cap13))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"path"`, `"size_bytes"`, `"duration_ns":30600000000`, `"fps":25`,
		`"declared_frames":765`, `"pix_fmt":"yuv420p"`, `"has_audio":false`, `"audio_channels"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

func TestProbeAudio(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "av.mp4")
	ffmpeg(t, "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=1",
		"-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1", "-ac", "2",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", p)
	got, err := video.Probe(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasAudio || got.AudioCodec != "aac" || got.AudioRate != 48000 || got.AudioChannels != 2 {
		t.Errorf("audio: got %v %q %d Hz %d ch, want aac 48000 Hz 2 ch",
			got.HasAudio, got.AudioCodec, got.AudioRate, got.AudioChannels)
	}
	if got.Codec != "h264" || got.FPS != 30 || got.Width != 320 || got.Height != 240 {
		t.Errorf("video: got %+v, want h264 320x240 at 30 fps", got)
	}
}
