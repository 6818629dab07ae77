package video

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// cap13JSON is what ffprobe 5.1 prints for cap13_edit2.mp4, trimmed.
const cap13JSON = `{"streams": [{"index": 0, "codec_name": "h264", "profile": "High", "codec_type": "video",
"width": 400, "height": 300, "coded_width": 400, "coded_height": 300, "has_b_frames": 2, "pix_fmt": "yuv420p",
"r_frame_rate": "25/1", "avg_frame_rate": "25/1", "time_base": "1/25", "start_pts": 0, "start_time": "0.000000",
"duration_ts": 765, "duration": "30.600000", "bit_rate": "157070", "nb_frames": "765",
"disposition": {"default": 1, "attached_pic": 0}, "tags": {"language": "und", "handler_name": "VideoHandler"}}],
"format": {"filename": "cap13_edit2.mp4", "nb_streams": 1, "format_name": "mov,mp4,m4a,3gp,3g2,mj2",
"start_time": "0.000000", "duration": "30.600000", "size": "607764", "bit_rate": "158892", "probe_score": 100}}`

// doc builds ffprobe-like JSON from stream objects and a format object.
func doc(format string, streams ...string) string {
	return `{"streams":[` + strings.Join(streams, ",") + `],"format":` + format + `}`
}

const mp4Format = `{"format_name":"mov,mp4,m4a,3gp,3g2,mj2","duration":"2.000000","bit_rate":"500000"}`

// vstream is a video stream with the given size and extra fields.
func vstream(w, h string, extra string) string {
	s := `{"codec_type":"video","codec_name":"h264","width":` + w + `,"height":` + h + `,"avg_frame_rate":"30/1","pix_fmt":"yuv420p"`
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

func TestParseProbe(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		want    Info
		wantErr error
	}{
		{
			name: "cap13",
			json: cap13JSON,
			want: Info{Container: "mov,mp4,m4a,3gp,3g2,mj2", Duration: 30600 * time.Millisecond, Bitrate: 158892,
				Codec: "h264", Width: 400, Height: 300, FPS: 25, DeclaredFrames: 765, PixFmt: "yuv420p"},
		},
		{
			name: "audio, NTSC rate, cover art first",
			json: doc(mp4Format,
				`{"codec_type":"video","codec_name":"png","width":600,"height":600,"disposition":{"attached_pic":1}}`,
				vstream("1280", "720", `"avg_frame_rate":"30000/1001","nb_frames":"N/A"`),
				`{"codec_type":"audio","codec_name":"opus","sample_rate":"48000","channels":2}`,
				`{"codec_type":"audio","codec_name":"aac","sample_rate":"44100","channels":1}`),
			want: Info{Container: "mov,mp4,m4a,3gp,3g2,mj2", Duration: 2 * time.Second, Bitrate: 500000,
				Codec: "h264", Width: 1280, Height: 720, FPS: 30000.0 / 1001, PixFmt: "yuv420p",
				HasAudio: true, AudioCodec: "opus", AudioRate: 48000, AudioChannels: 2},
		},
		{
			name: "webm from a browser: no average rate, time base as r_frame_rate, no duration",
			json: doc(`{"format_name":"matroska,webm","duration":"N/A"}`,
				vstream("640", "480", `"avg_frame_rate":"0/0","r_frame_rate":"1000/1"`)),
			want: Info{Container: "matroska,webm", Codec: "h264", Width: 640, Height: 480, PixFmt: "yuv420p"},
		},
		{
			name: "r_frame_rate fallback, stream duration and bitrate",
			json: doc(`{"format_name":"avi"}`,
				vstream("64", "64", `"avg_frame_rate":"0/0","r_frame_rate":"24/1","duration":"1.5","bit_rate":"1000"`)),
			want: Info{Container: "avi", Duration: 1500 * time.Millisecond, Bitrate: 1000,
				Codec: "h264", Width: 64, Height: 64, FPS: 24, PixFmt: "yuv420p"},
		},
		{
			name: "display matrix: ffprobe's -90 (counter-clockwise) is 90 clockwise",
			json: doc(mp4Format, vstream("1920", "1080", `"side_data_list":[{"side_data_type":"Display Matrix","rotation":-90}]`)),
			want: Info{Container: "mov,mp4,m4a,3gp,3g2,mj2", Duration: 2 * time.Second, Bitrate: 500000,
				Codec: "h264", Width: 1920, Height: 1080, FPS: 30, PixFmt: "yuv420p", Rotation: 90},
		},
		{
			name: "old rotate tag is clockwise",
			json: doc(mp4Format, vstream("1920", "1080", `"tags":{"rotate":"180"}`)),
			want: Info{Container: "mov,mp4,m4a,3gp,3g2,mj2", Duration: 2 * time.Second, Bitrate: 500000,
				Codec: "h264", Width: 1920, Height: 1080, FPS: 30, PixFmt: "yuv420p", Rotation: 180},
		},
		{
			name: "sizes as strings",
			json: doc(mp4Format, vstream(`"8192"`, `"64"`, "")),
			want: Info{Container: "mov,mp4,m4a,3gp,3g2,mj2", Duration: 2 * time.Second, Bitrate: 500000,
				Codec: "h264", Width: 8192, Height: 64, FPS: 30, PixFmt: "yuv420p"},
		},
		{name: "63 px wide", json: doc(mp4Format, vstream("63", "480", "")), wantErr: ErrTooSmall},
		{name: "63 px high", json: doc(mp4Format, vstream("640", "63", "")), wantErr: ErrTooSmall},
		{name: "8193 px wide", json: doc(mp4Format, vstream("8193", "480", "")), wantErr: ErrTooLarge},
		{name: "huge", json: doc(mp4Format, vstream("1e30", "480", "")), wantErr: ErrNotVideo},
		{name: "negative", json: doc(mp4Format, vstream("-640", "480", "")), wantErr: ErrNotVideo},
		{name: "no size", json: doc(mp4Format, `{"codec_type":"video","codec_name":"h264"}`), wantErr: ErrNotVideo},
		{name: "no streams", json: doc(mp4Format), wantErr: ErrNotVideo},
		{name: "audio only", json: doc(`{"format_name":"wav"}`, `{"codec_type":"audio","codec_name":"pcm_s16le"}`), wantErr: ErrNotVideo},
		{name: "cover art only", json: doc(`{"format_name":"mp3"}`, `{"codec_type":"video","width":500,"height":500,"disposition":{"attached_pic":1}}`), wantErr: ErrNotVideo},
		{name: "still image", json: doc(`{"format_name":"png_pipe"}`, vstream("640", "480", "")), wantErr: ErrNotVideo},
		{name: "image2", json: doc(`{"format_name":"image2"}`, vstream("640", "480", "")), wantErr: ErrNotVideo},
		{name: "failed run", json: "{\n\n}", wantErr: ErrNotVideo},
		{name: "empty", json: "", wantErr: ErrNotVideo},
		{name: "not JSON", json: "moov atom not found", wantErr: ErrNotVideo},
		{name: "wrong types", json: `{"streams":{"codec_type":"video"}}`, wantErr: ErrNotVideo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProbe([]byte(tt.json))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error: got %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRational(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"25/1", 25, true},
		{"30000/1001", 30000.0 / 1001, true},
		{"24", 24, true},
		{"0/0", 0, false},
		{"1/0", 0, false},
		{"-25/1", 0, false},
		{"1000/1", 0, false},
		{"NaN/1", 0, false},
		{"1e400/1", 0, false},
		{"", 0, false},
		{"a/b", 0, false},
	}
	for _, tt := range tests {
		got, ok := rational(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("rational(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzProbeJSON checks that parseProbe never panics and that whatever it
// accepts is a video the engine can analyse.
func FuzzProbeJSON(f *testing.F) {
	f.Add([]byte(cap13JSON))
	f.Add([]byte(doc(mp4Format, vstream("1920", "1080", `"side_data_list":[{"side_data_type":"Display Matrix","rotation":-90.5}],"nb_frames":"1e300"`))))
	f.Add([]byte(doc(`{"format_name":"matroska,webm","duration":"-1","bit_rate":"1e19"}`,
		vstream(`"640"`, `"480.0"`, `"avg_frame_rate":"1/0","r_frame_rate":"1/-0","tags":{"rotate":"1e308"}`),
		`{"codec_type":"audio","sample_rate":"1e10","channels":"-2"}`)))
	f.Add([]byte(`{"streams":[{"codec_type":"video","width":null,"height":[]}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := parseProbe(data)
		if err != nil {
			if info != (Info{}) {
				t.Errorf("error %v with non-zero Info %+v", err, info)
			}
			return
		}
		if info.Width < MinSide || info.Height < MinSide || info.Width > MaxSide || info.Height > MaxSide {
			t.Errorf("accepted size %dx%d", info.Width, info.Height)
		}
		if info.FPS < 0 || info.FPS > maxFPS || info.Duration < 0 || info.Bitrate < 0 || info.DeclaredFrames < 0 {
			t.Errorf("accepted out-of-range values %+v", info)
		}
		if info.Rotation%90 != 0 || info.Rotation < 0 || info.Rotation >= 360 {
			t.Errorf("Rotation = %d", info.Rotation)
		}
		_ = info.ExpectedFrames()
	})
}
