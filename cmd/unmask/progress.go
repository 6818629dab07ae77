package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line bar on a terminal, or writes JSON lines for
// a program (the desktop app), at most 10 times a second.
type progress struct {
	w     io.Writer
	total int64
	start time.Time
	last  time.Time
	json  bool
}

// newJSONProgress reports progress as one JSON object per line.
func newJSONProgress(w io.Writer, total int64) *progress {
	return &progress{w: w, total: total, start: time.Now(), json: true}
}

func newProgress(w io.Writer, total int64) *progress {
	return &progress{w: w, total: total, start: time.Now()}
}

func (p *progress) update(done int) {
	if p == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	fps := float64(done) / now.Sub(p.start).Seconds()
	if p.json {
		fmt.Fprintf(p.w, "{\"progress\":{\"frames\":%d,\"total\":%d,\"fps\":%.1f}}\n", done, p.total, fps)
		return
	}
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r%d frames  %.0f fps ", done, fps)
		return
	}
	frac := min(1, float64(done)/float64(p.total))
	const width = 30
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d frames  %.0f fps ", strings.Repeat("#", n), strings.Repeat(" ", width-n), 100*frac, done, p.total, fps)
}

func (p *progress) done() {
	if p != nil && !p.json {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
