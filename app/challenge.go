package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/unmaskhq/unmask/analysis/fuse"
)

// Challenge is a guided check the interviewer asks the candidate to do.
type Challenge struct {
	ID           string `json:"id"`
	SessionID    string `json:"sessionId"`
	Kind         string `json:"kind"` // "hand", "turn", "id"
	Title        string `json:"title"`
	Instructions string `json:"instructions"`
	Seconds      int    `json:"seconds"`
}

// challengeKind is what one kind of challenge asks and which signals
// judge it. Real-time face swappers break when a hand passes in front of
// the face (occlusion) and on fast or large head turns (temporal,
// boundary); a held document crosses the face edge (occlusion, temporal).
type challengeKind struct {
	title, instructions string
	seconds             int
	signals             []string
}

var challengeKinds = map[string]challengeKind{
	"hand": {"Pass a hand in front of the face",
		"Ask the candidate to pass a hand slowly in front of their face, from one side to the other, and back.",
		8, []string{"occlusion", "temporal"}},
	"turn": {"Turn the head to each side",
		"Ask the candidate to turn their head slowly to the left as far as is comfortable, then to the right, then back to the camera.",
		8, []string{"temporal", "boundary", "occlusion"}},
	"id": {"Hold the ID next to the face",
		"Ask the candidate to hold their ID next to their face, then tilt it slowly towards and away from the camera.",
		10, []string{"occlusion", "temporal", "boundary"}},
}

// The thresholds a challenge's action must reach to count as done.
const (
	// minHandFrames: frames in which something covered part of the face
	// or the face was lost; a hand passing slowly covers it for well over
	// a third of a second at 25 fps.
	minHandFrames = 8
	// minTurnDegrees: the yaw reached on each side. Swappers' landmark
	// models are trained mostly on faces within about ±30°; 20° each way
	// is a turn everyone can make without leaving the frame.
	minTurnDegrees = 20
	// minFaceShare: the share of frames that must show the face while the
	// ID is held beside it.
	minFaceShare = 0.7
	// scoreWait is how long after the countdown the verdict waits for the
	// windows that cover it: a live call scores 2.6 s behind the newest
	// frame (lip-sync needs the voice that follows).
	scoreWait = 6 * time.Second
)

// viewFinder finds the live view of a session (a call or a camera).
type viewFinder interface {
	view(id string) (*liveView, error)
}

// ChallengeService runs challenges on live sessions. Safe for concurrent
// use; one challenge runs per session at a time.
type ChallengeService struct {
	finders []viewFinder

	mu      sync.Mutex
	rt      Runtime
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running map[string]string // session ID -> challenge ID
}

// NewChallengeService returns a ChallengeService over the sessions the
// finders know.
func NewChallengeService(finders ...viewFinder) *ChallengeService {
	return &ChallengeService{finders: finders, running: map[string]string{}}
}

func (c *ChallengeService) start(_ context.Context, rt Runtime) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rt = rt
	c.ctx, c.cancel = context.WithCancel(context.Background())
}

func (c *ChallengeService) stop(context.Context) {
	c.mu.Lock()
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// Start begins a challenge of kind ("hand", "turn" or "id") on session
// sessionID. Its countdown and result arrive as EventChallengeUpdate.
func (c *ChallengeService) Start(sessionID, kind string) (Challenge, error) {
	k, ok := challengeKinds[kind]
	if !ok {
		return Challenge{}, fmt.Errorf("unknown challenge %q (hand, turn or id)", kind)
	}
	var v *liveView
	for _, f := range c.finders {
		if got, err := f.view(sessionID); err == nil {
			v = got
			break
		}
	}
	if v == nil {
		return Challenge{}, fmt.Errorf("no live session %q", sessionID)
	}
	if _, ok := v.now(); !ok {
		return Challenge{}, errors.New("no video has been analysed yet: wait for the candidate's face")
	}
	c.mu.Lock()
	if c.ctx == nil {
		c.mu.Unlock()
		return Challenge{}, errNotStarted
	}
	if _, busy := c.running[sessionID]; busy {
		c.mu.Unlock()
		return Challenge{}, errors.New("a challenge is already running on this session")
	}
	ch := Challenge{ID: newID(), SessionID: sessionID, Kind: kind, Title: k.title, Instructions: k.instructions, Seconds: k.seconds}
	c.running[sessionID] = ch.ID
	ctx := c.ctx
	c.wg.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.wg.Done()
		defer func() {
			c.mu.Lock()
			delete(c.running, sessionID)
			c.mu.Unlock()
		}()
		c.run(ctx, v, ch, k)
	}()
	return ch, nil
}

// run counts down, waits for the windows that cover the challenge, and
// sends the result.
func (c *ChallengeService) run(ctx context.Context, v *liveView, ch Challenge, k challengeKind) {
	t0, _ := v.now()
	deadline := time.Now().Add(time.Duration(k.seconds) * time.Second)
	up := ChallengeUpdate{ID: ch.ID, SessionID: ch.SessionID, Kind: ch.Kind, State: "running", Reasons: []string{}}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		up.RemainingMS = time.Until(deadline).Milliseconds()
		c.emit(up)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	t1, _ := v.now()
	up.RemainingMS, up.State = 0, "scoring"
	c.emit(up)
	// Wait until a window ends after the challenge did, or scoreWait.
	wait := time.NewTimer(scoreWait)
	defer wait.Stop()
	changed, unwatch := v.watch()
	defer unwatch()
	for {
		_, ws := v.history(t1)
		if len(ws) > 0 {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-wait.C:
		case <-changed:
			continue
		}
		break
	}
	frames, _ := v.history(t0)
	var during []frameNote
	for _, f := range frames {
		if f.at <= t1 {
			during = append(during, f)
		}
	}
	_, windows := v.history(t0)
	res := judgeChallenge(ch.Kind, k, during, windows)
	up.State, up.Passed, up.Score, up.Reasons = "done", res.passed, res.score, res.reasons
	c.emit(up)
}

func (c *ChallengeService) emit(u ChallengeUpdate) {
	c.mu.Lock()
	rt := c.rt
	c.mu.Unlock()
	if rt != nil {
		rt.Emit(EventChallengeUpdate, u)
	}
}

type challengeResult struct {
	passed  bool
	score   float64
	reasons []string
}

// judgeChallenge decides a challenge from the frames analysed during it
// and the windows that cover it: was the action done, and did the
// signals that the action stresses stay below medium.
func judgeChallenge(kind string, k challengeKind, frames []frameNote, windows []fuse.Window) challengeResult {
	res := challengeResult{reasons: []string{}}
	if len(frames) < 10 {
		res.reasons = append(res.reasons, "too little video arrived during the challenge to judge it; ask again")
		return res
	}
	// The riskiest window over the challenge, and the strongest of the
	// signals the action stresses, with its reason.
	risk, level := 0.0, fuse.Low
	top, topReason, topSignal := 0.0, "", ""
	events, lostW := 0.0, 0.0
	for _, w := range windows {
		if w.Risk > risk {
			risk = w.Risk
		}
		if w.Level.Rank() > level.Rank() {
			level = w.Level
		}
		for _, s := range w.Scores {
			if !s.Valid {
				continue
			}
			if s.Signal == "occlusion" {
				events = math.Max(events, s.Metrics["event_frames"])
				lostW = math.Max(lostW, s.Metrics["face_lost_frames"])
			}
			for _, name := range k.signals {
				if s.Signal == name && s.Value > top {
					top, topSignal = s.Value, name
					topReason = ""
					if len(s.Reasons) > 0 {
						topReason = s.Reasons[0]
					}
				}
			}
		}
	}
	res.score = risk
	lost, faces := 0, 0
	minYaw, maxYaw := math.Inf(1), math.Inf(-1)
	for _, f := range frames {
		if !f.face {
			lost++
			continue
		}
		faces++
		if !math.IsNaN(f.yaw) {
			minYaw, maxYaw = math.Min(minYaw, f.yaw), math.Max(maxYaw, f.yaw)
		}
	}
	done := true
	switch kind {
	case "hand":
		covered := int(math.Max(events, math.Max(lostW, float64(lost))))
		if covered < minHandFrames {
			done = false
			res.reasons = append(res.reasons, "no hand was seen passing in front of the face; ask the candidate to do it slowly, closer to the camera")
		} else {
			res.reasons = append(res.reasons, fmt.Sprintf("a hand covered the face in about %d frames", covered))
		}
	case "turn":
		left, right := -minYaw, maxYaw
		if math.IsInf(minYaw, 0) {
			left, right = 0, 0
		}
		if left < minTurnDegrees || right < minTurnDegrees {
			done = false
			res.reasons = append(res.reasons, fmt.Sprintf("the head turned %.0f° one way and %.0f° the other; ask for at least %d° to each side", math.Max(left, 0), math.Max(right, 0), minTurnDegrees))
		} else {
			res.reasons = append(res.reasons, fmt.Sprintf("the head turned %.0f° and %.0f°", left, right))
		}
	case "id":
		share := float64(faces) / float64(len(frames))
		if share < minFaceShare {
			done = false
			res.reasons = append(res.reasons, fmt.Sprintf("the face was visible in only %.0f%% of frames; ask the candidate to hold the ID beside the face, not in front of it", 100*share))
		} else {
			res.reasons = append(res.reasons, "the face stayed in view beside the document (the document itself is not checked here)")
		}
	}
	// The fused level decides, as everywhere else; the stressed signal
	// that scored highest is named so the interviewer knows what broke.
	suspicious := level.Rank() >= fuse.Medium.Rank()
	if suspicious {
		r := fmt.Sprintf("the risk reached %s (%.2f) during the challenge", level, risk)
		if topSignal != "" {
			r += fmt.Sprintf("; %s scored %.2f", topSignal, top)
		}
		if topReason != "" {
			r += ": " + topReason
		}
		res.reasons = append([]string{r}, res.reasons...)
	} else if len(windows) == 0 {
		done = false
		res.reasons = append(res.reasons, "the analysis has not scored this moment yet; ask again")
	}
	res.passed = done && !suspicious
	return res
}
