package signal

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/unmaskhq/unmask/analysis"
	"github.com/unmaskhq/unmask/analysis/audio"
)

// LipSync compares the mouth with the voice. Mouth opening is the mean gap
// of the three inner-lip pairs (61-67, 62-66, 63-65) over the interocular
// distance, resampled to the audio envelope's 10 ms grid; both series are
// band-passed to the syllable rate (2-8 Hz, where mouth and voice are most
// coherent: Chandrasekaran et al., PLoS Comput Biol 2009) and compared by
// normalised cross-correlation over lags of ±1 s, then coarsely to ±2.5 s,
// because real-time swap pipelines delay the video by 0.3-2 s.
//
// The offset is reported as ITU-R BT.1359 does: positive when the sound is
// early, negative when it is late. Viewers do not notice offsets between
// +45 ms and -125 ms; a confident offset outside that range scores, fully
// from 200 ms beyond it (a 400 ms delay scores 1 on its own). Speech for
// most of a window while the mouth stays still scores too.
//
// LipSync is built with the whole recording's audio (files, NewLipSync)
// or fed the voice as it arrives (live calls, NewLiveLipSync and
// PushAudio); it is not safe for concurrent use.
type LipSync struct {
	cfg     LipSyncConfig
	hop     time.Duration
	voice   []float64 // syllable-band audio envelope, one value per hop from hop voiceOff
	vad     []bool    // parallel to voice
	noAudio string    // why there is nothing to compare, when set

	// Live audio: the raw envelope grows with every push; voice and vad
	// are recomputed over its recent tail when a window is scored.
	stream   *audio.EnvelopeStream
	env      []float64
	voiceOff int
	stale    bool

	mouth []mouthSample
}

// LipSyncConfig tunes LipSync; the zero value means the documented defaults.
type LipSyncConfig struct {
	Window      time.Duration // default 8 s: syllables repeat at 4-5 Hz, a few dozen make a reliable peak
	FineLag     time.Duration // default 1 s, searched every hop
	CoarseLag   time.Duration // default 2.5 s, searched every 3 hops beyond FineLag
	MinSpeech   float64       // default 0.3: fraction of the window with voice
	MinCoverage float64       // default 0.7: fraction of the window with a usable mouth
	MinSpan     time.Duration // default 6 s: a window cut short by the start of the input must still span this
	FarMargin   float64       // default 0.15: a peak beyond FineLag must beat the best within it by this much
	MinPeak     float64       // default 0.3: correlation a confident peak needs
	MinMargin   float64       // default 0.1: peak above the best rival 200 ms or more away
	EarlyLimit  time.Duration // default +45 ms (BT.1359 detectability, sound early)
	LateLimit   time.Duration // default -125 ms (sound late)
	FullScoreAt time.Duration // default 200 ms beyond a limit
	StillMouth  float64       // default 0.006: std of opening (interocular units) below which the mouth is still (small mouths that talk measured 0.007-0.0095)
	MinQuality  float64       // default 0.3
}

func (c LipSyncConfig) withDefaults() LipSyncConfig {
	orDefault(&c.Window, 8*time.Second)
	orDefault(&c.FineLag, time.Second)
	orDefault(&c.CoarseLag, 2500*time.Millisecond)
	orDefault(&c.MinSpeech, 0.3)
	orDefault(&c.MinSpan, 6*time.Second)
	orDefault(&c.FarMargin, 0.15)
	orDefault(&c.MinCoverage, 0.7)
	orDefault(&c.MinPeak, 0.3)
	orDefault(&c.MinMargin, 0.1)
	orDefault(&c.EarlyLimit, 45*time.Millisecond)
	orDefault(&c.FullScoreAt, 200*time.Millisecond)
	orDefault(&c.StillMouth, 0.006)
	orDefault(&c.MinQuality, 0.3)
	if c.LateLimit == 0 { // negative by nature: only zero means unset
		c.LateLimit = -125 * time.Millisecond
	}
	return c
}

type mouthSample struct {
	t       time.Duration
	opening float64
	index   int
}

// NewLipSync prepares the voice side from the recording's audio. A nil or
// empty pcm means the input has no audio: every score is then invalid
// with the reason "no audio", never a number.
func NewLipSync(pcm *audio.PCM, cfg LipSyncConfig) *LipSync {
	l := &LipSync{cfg: cfg.withDefaults(), hop: audio.DefaultHop}
	if pcm == nil || len(pcm.Samples) == 0 {
		l.noAudio = "no audio"
		return l
	}
	env := audio.Envelope(*pcm, l.hop)
	l.voice = audio.SyllableEnvelope(env, l.hop)
	l.vad = audio.VAD(env)
	return l
}

// liveTail is how much recent voice a live LipSync band-passes and
// gates per score: the window, the lag search either side, and slack
// for the filter to settle. Keeping it bounded keeps scoring O(1) in the
// length of the call.
const liveTail = 30 * time.Second

// NewLiveLipSync compares the mouth with a voice that arrives during the
// call: PushAudio adds it, at rate Hz, starting at time 0 of the frames'
// clock. Until audio arrives every score is invalid with "no audio".
func NewLiveLipSync(rate int, cfg LipSyncConfig) *LipSync {
	l := &LipSync{cfg: cfg.withDefaults(), hop: audio.DefaultHop, noAudio: "no audio"}
	l.stream = audio.NewEnvelopeStream(rate, l.hop)
	return l
}

// PushAudio appends samples that follow the previous ones without a gap
// (the caller fills lost packets with silence, so the voice keeps the
// frames' clock). It does nothing on a LipSync built by NewLipSync.
func (l *LipSync) PushAudio(samples []float32) {
	if l.stream == nil || len(samples) == 0 {
		return
	}
	l.env = append(l.env, l.stream.Push(samples)...)
	if len(l.env) > 0 {
		l.noAudio, l.stale = "", true
	}
}

// refresh recomputes the voice over the live tail.
func (l *LipSync) refresh() {
	if l.stream == nil || !l.stale {
		return
	}
	from := max(0, len(l.env)-int(liveTail/l.hop))
	l.voiceOff = from
	l.voice = audio.SyllableEnvelope(l.env[from:], l.hop)
	l.vad = audio.VAD(l.env[from:])
	l.stale = false
}

// Name is "lipsync".
func (l *LipSync) Name() string { return "lipsync" }

// MouthOpening is the inner-lip gap over the interocular distance, or NaN.
func MouthOpening(p []analysis.Point) float64 {
	if len(p) != analysis.NumLandmarks {
		return math.NaN()
	}
	var lx, ly, rx, ry float64
	for i := 36; i < 42; i++ {
		lx, ly, rx, ry = lx+p[i].X, ly+p[i].Y, rx+p[i+6].X, ry+p[i+6].Y
	}
	iod := math.Hypot((rx-lx)/6, (ry-ly)/6)
	if iod < 1 {
		return math.NaN()
	}
	gap := (dist(p[61], p[67]) + dist(p[62], p[66]) + dist(p[63], p[65])) / 3
	return gap / iod
}

// Observe records the mouth opening of a trustworthy face.
func (l *LipSync) Observe(r analysis.FrameResult) error {
	if !r.HasFace() || r.Face.Quality < l.cfg.MinQuality {
		return nil
	}
	if m := MouthOpening(r.Face.Landmarks); !math.IsNaN(m) {
		l.mouth = append(l.mouth, mouthSample{r.Time, m, r.Index})
	}
	return nil
}

// Score compares mouth and voice over the Window ending at end. Metrics
// carry offset_ms (positive: sound early) and confidence (the peak
// correlation) when valid, and confident = 1 when the peak is clear enough
// to trust the offset.
func (l *LipSync) Score(end time.Duration) Score {
	start := max(0, end-l.cfg.Window)
	s := Score{Signal: l.Name(), Start: start, End: end, Reasons: []string{}, Metrics: map[string]float64{}}
	if l.noAudio != "" {
		s.Reasons = append(s.Reasons, l.noAudio)
		return s
	}
	l.refresh()
	if end-start < l.cfg.MinSpan {
		// A short window has too few syllables: correlation peaks at
		// large lags are then as likely as the true one.
		s.Reasons = append(s.Reasons, fmt.Sprintf("lip-sync needs %.0f s of face and voice", l.cfg.MinSpan.Seconds()))
		return s
	}
	h0, n := int(start/l.hop), int((end-start)/l.hop)
	mouth, seen, raw, covered := l.mouthGrid(start, n)
	if float64(covered) < l.cfg.MinCoverage*float64(n) {
		s.Reasons = append(s.Reasons, "too little clear view of the mouth to compare it with the voice")
		return s
	}
	speech := 0
	for i := max(h0, l.voiceOff); i < h0+n && i-l.voiceOff < len(l.vad); i++ {
		if l.vad[i-l.voiceOff] {
			speech++
		}
	}
	speechFrac := float64(speech) / float64(n)
	s.Metrics["speech_fraction"] = speechFrac
	if speechFrac < l.cfg.MinSpeech {
		s.Reasons = append(s.Reasons, "too little speech in this window to check lip-sync")
		return s
	}
	s.Valid = true
	_, sd := audio.MeanStd(raw)
	s.Metrics["mouth_std"] = sd
	lag, peak, rival, near := l.bestLag(mouth, seen, h0)
	offset := -time.Duration(lag) * l.hop // voice later than mouth = sound late = negative
	s.Metrics["offset_ms"] = float64(offset.Milliseconds())
	s.Metrics["confidence"] = peak
	s.Metrics["rival"] = rival
	far := abs(lag) > int(l.cfg.FineLag/l.hop)
	confident := peak >= l.cfg.MinPeak && peak-rival >= l.cfg.MinMargin && (!far || peak-near >= l.cfg.FarMargin)
	// A small mouth at webcam resolution moves little but still in time
	// with its voice; only a mouth that neither moves nor correlates is
	// still while someone speaks.
	if !confident && sd < l.cfg.StillMouth {
		s.Value = 0.8
		s.Reasons = append(s.Reasons, fmt.Sprintf("speech for %.0f%% of the window while the mouth stays still: the voice may not come from this face", 100*speechFrac))
		return s
	}
	if !confident {
		s.Reasons = append(s.Reasons, fmt.Sprintf("mouth and voice do not line up clearly (best correlation %.2f)", peak))
		return s
	}
	s.Metrics["confident"] = 1
	var excess time.Duration
	switch {
	case offset > l.cfg.EarlyLimit:
		excess = offset - l.cfg.EarlyLimit
	case offset < l.cfg.LateLimit:
		excess = l.cfg.LateLimit - offset
	}
	if excess == 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("lips in sync with the voice (offset %+d ms)", offset.Milliseconds()))
		return s
	}
	s.Value = math.Min(1, float64(excess)/float64(l.cfg.FullScoreAt))
	word := "late"
	if offset > 0 {
		word = "early"
	}
	s.Reasons = append(s.Reasons, fmt.Sprintf("the voice is %d ms %s against the lips (correlation %.2f): swap pipelines delay the video; ask the candidate to clap or tap the microphone on camera",
		abs64(offset.Milliseconds()), word, peak))
	return s
}

// mouthGrid resamples mouth openings in [start, start+n hops) onto the hop
// grid by linear interpolation across gaps of at most 200 ms. It returns
// the syllable-band series, which hops were seen, the raw seen values and
// how many hops were seen.
func (l *LipSync) mouthGrid(start time.Duration, n int) (band []float64, ok []bool, raw []float64, covered int) {
	grid := make([]float64, n)
	ok = make([]bool, n)
	i0 := sort.Search(len(l.mouth), func(i int) bool { return l.mouth[i].t >= start-200*time.Millisecond })
	for k := 0; k < n; k++ {
		t := start + time.Duration(k)*l.hop
		for i0+1 < len(l.mouth) && l.mouth[i0+1].t <= t {
			i0++
		}
		if i0+1 >= len(l.mouth) || l.mouth[i0].t > t {
			continue
		}
		a, b := l.mouth[i0], l.mouth[i0+1]
		if b.t-a.t > 200*time.Millisecond {
			continue
		}
		w := float64(t-a.t) / float64(b.t-a.t)
		grid[k], ok[k] = a.opening+(b.opening-a.opening)*w, true
		raw = append(raw, grid[k])
		covered++
	}
	if covered == 0 {
		return grid, ok, raw, 0
	}
	mean, _ := audio.MeanStd(raw)
	for k := range grid {
		if !ok[k] {
			grid[k] = mean // neutral fill keeps the band-pass from ringing on gaps
		}
	}
	return audio.SyllableEnvelope(grid, l.hop), ok, raw, covered
}

// bestLag returns the lag in hops (voice index minus mouth index) with the
// highest normalised correlation, that correlation, the best one at least
// 200 ms away, and the best within FineLag. Speech is quasi-periodic at
// the syllable rate, so a far peak is trusted only when it clearly beats
// every near one. Lags within FineLag are searched every hop, beyond it
// up to CoarseLag every third hop, then refined around a coarse winner.
func (l *LipSync) bestLag(mouth []float64, seen []bool, h0 int) (int, float64, float64, float64) {
	fine, coarse := int(l.cfg.FineLag/l.hop), int(l.cfg.CoarseLag/l.hop)
	type cand struct {
		lag int
		r   float64
	}
	var all []cand
	for lag := -coarse; lag <= coarse; lag++ {
		if abs(lag) > fine && lag%3 != 0 {
			continue
		}
		all = append(all, cand{lag, l.ncc(mouth, seen, h0, lag)})
	}
	best := all[0]
	for _, c := range all {
		if c.r > best.r {
			best = c
		}
	}
	if abs(best.lag) > fine { // refine a coarse peak to one hop
		for lag := best.lag - 2; lag <= best.lag+2; lag++ {
			if r := l.ncc(mouth, seen, h0, lag); r > best.r {
				best = cand{lag, r}
			}
		}
	}
	rival, near := math.Inf(-1), math.Inf(-1)
	away := int(200 * time.Millisecond / l.hop)
	for _, c := range all {
		if abs(c.lag-best.lag) >= away && c.r > rival {
			rival = c.r
		}
		if abs(c.lag) <= fine && c.r > near {
			near = c.r
		}
	}
	return best.lag, best.r, rival, near
}

// ncc is the normalised correlation of mouth[k] with voice[h0+k+lag] over
// the hops where both exist and the mouth was seen (gaps carry no evidence).
func (l *LipSync) ncc(mouth []float64, seen []bool, h0, lag int) float64 {
	var sxy, sxx, syy, sx, sy, n float64
	for k, x := range mouth {
		j := h0 + k + lag - l.voiceOff
		if !seen[k] || j < 0 || j >= len(l.voice) {
			continue
		}
		y := l.voice[j]
		sx, sy, sxy, sxx, syy, n = sx+x, sy+y, sxy+x*y, sxx+x*x, syy+y*y, n+1
	}
	if n < 50 {
		return -1
	}
	cov := sxy - sx*sy/n
	den := math.Sqrt((sxx - sx*sx/n) * (syy - sy*sy/n))
	if den < 1e-12 {
		return -1
	}
	return cov / den
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
