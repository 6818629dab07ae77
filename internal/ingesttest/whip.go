package ingesttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"

	"github.com/unmaskhq/unmask/testdata/clips"
)

// CallMedia makes what a candidate sends: VP8 of a real clip and an Opus
// voice, both as files a publisher replays in real time.
func CallMedia(t testing.TB, dir string, secs int) (ivf, ogg string) {
	t.Helper()
	ivf = filepath.Join(dir, "cap13.ivf")
	FFmpeg(t, "-i", clips.Path(t, clips.Cap13), "-t", fmt.Sprint(secs), "-an", "-c:v", "libvpx", "-deadline", "good", "-cpu-used", "4",
		"-b:v", "1M", "-g", "50", "-f", "ivf", ivf)
	wav := filepath.Join(dir, "speech.wav")
	cmd := exec.Command("espeak-ng", "-w", wav, strings.Repeat("Thank you for inviting me to this interview. I have worked on distributed systems for six years. ", 2))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v\n%s", err, out)
	}
	ogg = filepath.Join(dir, "speech.ogg")
	FFmpeg(t, "-i", wav, "-af", fmt.Sprintf("apad=whole_dur=%d", secs), "-t", fmt.Sprint(secs), "-ar", "48000", "-ac", "2",
		"-c:a", "libopus", "-b:a", "32k", "-page_duration", "20000", ogg)
	return ivf, ogg
}

// WHIPClient is a pion peer that publishes over WHIP, as OBS or any
// other WHIP client would.
type WHIPClient struct {
	pc           *webrtc.PeerConnection
	video, audio *webrtc.TrackLocalStaticSample
	resource     string
	token        string
}

// Publish publishes video in the given codec (VP8 as browsers send,
// H.264 as OBS Studio sends) and Opus.
func Publish(t testing.TB, whipURL, token, videoMime string, network ...interceptor.Factory) (*WHIPClient, *http.Response, string) {
	t.Helper()
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	ir := &interceptor.Registry{}
	for _, f := range network {
		ir.Add(f)
	}
	pc, err := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	c := &WHIPClient{pc: pc, token: token}
	t.Cleanup(func() { pc.Close() })
	c.video, _ = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: videoMime}, "video", "unmask-test")
	c.audio, _ = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "audio", "unmask-test")
	for _, tr := range []webrtc.TrackLocal{c.video, c.audio} {
		if _, err := pc.AddTransceiverFromTrack(tr, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
			t.Fatal(err)
		}
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	pc.SetLocalDescription(offer)
	<-gathered
	req, _ := http.NewRequest(http.MethodPost, whipURL, strings.NewReader(pc.LocalDescription().SDP))
	req.Header.Set("Content-Type", "application/sdp")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return nil, resp, string(body)
	}
	loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	c.resource = loc.String()
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(body)}); err != nil {
		t.Fatalf("answer: %v", err)
	}
	return c, resp, string(body)
}

// Play sends the files in real time for at most d.
func (c *WHIPClient) Play(t testing.TB, ivfPath, oggPath string, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan error, 2)
	go func() {
		if ivfPath == "" {
			done <- nil
			return
		}
		f, err := os.Open(ivfPath)
		if err != nil {
			done <- err
			return
		}
		defer f.Close()
		r, h, err := ivfreader.NewWith(f)
		if err != nil {
			done <- err
			return
		}
		step := time.Second * time.Duration(h.TimebaseNumerator) / time.Duration(h.TimebaseDenominator)
		tick := time.NewTicker(step)
		defer tick.Stop()
		for ctx.Err() == nil {
			frame, _, err := r.ParseNextFrame()
			if err != nil {
				break
			}
			c.video.WriteSample(media.Sample{Data: frame, Duration: step})
			select {
			case <-tick.C:
			case <-ctx.Done():
			}
		}
		done <- nil
	}()
	go func() {
		f, err := os.Open(oggPath)
		if err != nil {
			done <- err
			return
		}
		defer f.Close()
		r, _, err := oggreader.NewWith(f)
		if err != nil {
			done <- err
			return
		}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var last uint64
		for ctx.Err() == nil {
			page, h, err := r.ParseNextPage()
			if err != nil {
				break
			}
			if h.GranulePosition <= last || bytes.HasPrefix(page, []byte("OpusTags")) {
				continue
			}
			n := h.GranulePosition - last
			last = h.GranulePosition
			c.audio.WriteSample(media.Sample{Data: page, Duration: time.Duration(n) * time.Second / 48000})
			select {
			case <-tick.C:
			case <-ctx.Done():
			}
		}
		done <- nil
	}()
	for i := 0; i < 2; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// PlayH264 sends an Annex-B H.264 file (one access unit per AUD) at fps
// for at most d, with the voice.
func (c *WHIPClient) PlayH264(t testing.TB, path, oggPath string, fps int, d time.Duration) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := h264reader.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var aus [][]byte
	var cur []byte
	for {
		nal, err := r.NextNAL()
		if err != nil {
			break
		}
		if nal.UnitType == h264reader.NalUnitTypeAUD && len(cur) > 0 {
			aus = append(aus, cur)
			cur = nil
		}
		cur = append(append(cur, 0, 0, 0, 1), nal.Data...)
	}
	if len(cur) > 0 {
		aus = append(aus, cur)
	}
	if len(aus) < fps {
		t.Fatalf("%d access units in %s", len(aus), path)
	}
	audio := make(chan struct{})
	go func() { defer close(audio); c.Play(t, "", oggPath, d) }()
	step := time.Second / time.Duration(fps)
	tick := time.NewTicker(step)
	defer tick.Stop()
	end := time.Now().Add(d)
	for _, au := range aus {
		if time.Now().After(end) {
			break
		}
		c.video.WriteSample(media.Sample{Data: au, Duration: step})
		<-tick.C
	}
	<-audio
}

// End deletes the WHIP resource, as a client ending the call does.
func (c *WHIPClient) End(t testing.TB) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, c.resource, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// PC is the client's peer connection (a test closes it to vanish).
func (c *WHIPClient) PC() *webrtc.PeerConnection { return c.pc }
