package live

import "sync"

// voiceQueue carries decoded voice from the audio reader to the analysis
// goroutine, which alone touches the lip-sync signal. Silence is kept as
// a count, and when analysis falls far behind the oldest voice turns into
// silence of the same length: memory stays bounded and the voice keeps
// its place on the clock.
type voiceQueue struct {
	mu     sync.Mutex
	items  []voiceItem
	queued int   // samples held in items' pcm
	skip   int64 // samples still to drop from the front (a correction earlier)
}

type voiceItem struct {
	pcm     []float32
	silence int64
}

// maxQueuedVoice is 60 s at 48 kHz (11.5 MB).
const maxQueuedVoice = 60 * AudioRate

func (q *voiceQueue) silence(n int64) {
	if n <= 0 {
		return
	}
	q.mu.Lock()
	q.items = append(q.items, voiceItem{silence: n})
	q.mu.Unlock()
}

func (q *voiceQueue) push(pcm []float32) {
	if len(pcm) == 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, voiceItem{pcm: pcm})
	q.queued += len(pcm)
	for i := 0; q.queued > maxQueuedVoice && i < len(q.items); i++ {
		if it := &q.items[i]; it.pcm != nil {
			q.queued -= len(it.pcm)
			it.silence, it.pcm = int64(len(it.pcm)), nil
		}
	}
}

// shift moves the voice n samples later (n > 0: silence) or earlier
// (n < 0: the next -n samples are dropped).
func (q *voiceQueue) shift(n int64) {
	if n > 0 {
		q.silence(n)
		return
	}
	q.mu.Lock()
	q.skip += -n
	q.mu.Unlock()
}

// drain hands everything queued to feed, in order, outside the lock.
func (q *voiceQueue) drain(feed func([]float32)) {
	q.mu.Lock()
	items := q.items
	q.items, q.queued = nil, 0
	skip := q.skip
	q.mu.Unlock()
	for i := range items { // drop what a correction took back
		it := &items[i]
		if skip == 0 {
			break
		}
		if it.pcm != nil {
			k := min(skip, int64(len(it.pcm)))
			it.pcm, skip = it.pcm[k:], skip-k
		} else {
			k := min(skip, it.silence)
			it.silence, skip = it.silence-k, skip-k
		}
	}
	q.mu.Lock()
	q.skip = skip
	q.mu.Unlock()
	var zeros []float32
	for _, it := range items {
		if it.pcm != nil && len(it.pcm) == 0 {
			continue
		}
		if it.pcm != nil {
			feed(it.pcm)
			continue
		}
		if zeros == nil {
			zeros = make([]float32, AudioRate/10)
		}
		for n := it.silence; n > 0; n -= int64(len(zeros)) {
			feed(zeros[:min(n, int64(len(zeros)))])
		}
	}
}
