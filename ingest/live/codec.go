package live

import (
	"fmt"
	"strings"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"gocv.io/x/gocv"

	"github.com/unmaskhq/unmask/ingest/h264"
	"github.com/unmaskhq/unmask/ingest/vp8"
)

// Video codecs a call accepts, in order of preference: VP8 (browsers,
// the candidate page) and H.264 (OBS Studio's WHIP output, other
// hardware-encoding clients), each with its own assembler and decoder.
const (
	codecVP8  = "VP8/90000"
	codecH264 = "H264/90000"
)

// frameIn is one complete compressed frame from RTP.
type frameIn struct {
	data     []byte
	ts       uint32
	keyframe bool
}

// videoPath turns one codec's RTP into pictures.
type videoPath struct {
	push         func(*rtp.Packet) (f frameIn, ok, needKeyframe bool)
	decode       func([]byte, *gocv.Mat) error
	plausibleKey func([]byte) bool
	close        func() error
}

func newVideoPath(mime string) (videoPath, error) {
	switch strings.ToLower(mime) {
	case strings.ToLower(webrtc.MimeTypeVP8):
		asm := vp8.NewAssembler()
		dec, err := vp8.NewDecoder()
		if err != nil {
			return videoPath{}, err
		}
		return videoPath{
			push: func(p *rtp.Packet) (frameIn, bool, bool) {
				f, ok, need := asm.Push(p)
				return frameIn{f.Data, f.Timestamp, f.Keyframe}, ok, need
			},
			decode: dec.Decode, plausibleKey: plausibleVP8Keyframe, close: dec.Close,
		}, nil
	case strings.ToLower(webrtc.MimeTypeH264):
		asm := h264.NewAssembler()
		dec, err := h264.NewDecoder()
		if err != nil {
			return videoPath{}, err
		}
		return videoPath{
			push: func(p *rtp.Packet) (frameIn, bool, bool) {
				f, ok, need := asm.Push(p)
				return frameIn{f.Data, f.Timestamp, f.Keyframe}, ok, need
			},
			// The H.264 decoder checks the SPS size before it allocates.
			decode: dec.Decode, plausibleKey: func([]byte) bool { return true }, close: dec.Close,
		}, nil
	}
	return videoPath{}, fmt.Errorf("live: no decoder for %s", mime)
}

// maxCallPixels is 4K UHD, the most any browser camera sends. A VP8
// keyframe may claim up to 16383x16383 in a few bytes, and libvpx would
// allocate for it before failing (200 MB and 0.5 s for 8192x8192):
// refuse first.
const maxCallPixels = 3840 * 2160

func plausibleVP8Keyframe(frame []byte) bool {
	h, err := vp8.ParseHeader(frame)
	return err == nil && h.Width*h.Height <= maxCallPixels
}

// rtpmapName is the codec as SDP names it ("H264/90000").
func rtpmapName(c webrtc.RTPCodecParameters) string {
	name := strings.TrimPrefix(strings.TrimPrefix(c.MimeType, "video/"), "audio/")
	return fmt.Sprintf("%s/%d", name, c.ClockRate)
}

// answerVideoCodec names the first video codec an answer accepts (the
// first payload type of its video section), or "" when it has no video.
// The sender may use any codec the answer lists; the track says which.
func answerVideoCodec(sdp string) string {
	lines := strings.Split(strings.ReplaceAll(sdp, "\r\n", "\n"), "\n")
	inVideo, pt := false, ""
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "m="):
			inVideo = strings.HasPrefix(l, "m=video ")
			if f := strings.Fields(l); inVideo && len(f) > 3 && f[1] != "0" {
				pt = f[3]
			} else if inVideo {
				return ""
			}
		case inVideo && pt != "" && strings.HasPrefix(l, "a=rtpmap:"+pt+" "):
			return strings.TrimSpace(strings.TrimPrefix(l, "a=rtpmap:"+pt+" "))
		}
	}
	return ""
}
