// plot.ts holds the arithmetic of the signal plots: a fixed-size ring
// buffer of samples for the scrolling live plot, and the mapping between
// time/score and canvas pixels shared by the live plot and the review
// timeline.

/** RingBuffer keeps the newest capacity items; older ones are overwritten. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1) || !Number.isInteger(capacity)) {
      throw new Error(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.items = new Array<T | undefined>(capacity);
  }

  /** length is the number of items held. */
  get length(): number {
    return this.count;
  }

  /** push appends x, overwriting the oldest item when full. */
  push(x: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = x;
    if (this.count < this.capacity) {
      this.count++;
    } else {
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** at returns the i-th oldest item, or undefined out of range. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) {
      return undefined;
    }
    return this.items[(this.start + i) % this.capacity];
  }

  /** last is the newest item. */
  last(): T | undefined {
    return this.at(this.count - 1);
  }

  /** dropWhile removes items from the old end while pred holds. */
  dropWhile(pred: (x: T) => boolean): void {
    while (this.count > 0) {
      const x = this.items[this.start] as T;
      if (!pred(x)) {
        return;
      }
      this.items[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** clear empties the buffer. */
  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** toArray returns the items oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) {
      out.push(this.items[(this.start + i) % this.capacity] as T);
    }
    return out;
  }
}

/** PlotArea is the drawing rectangle of a plot, in canvas pixels. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** TimeRange is the span of time shown across a plot, in ms. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** timeToX maps a time to its x in area; times outside the range map outside it. */
export function timeToX(t: number, range: TimeRange, area: PlotArea): number {
  const span = range.endMs - range.startMs;
  if (!(span > 0)) {
    return area.left;
  }
  return area.left + ((t - range.startMs) / span) * area.width;
}

/** xToTime is the inverse of timeToX, clamped to the range. */
export function xToTime(x: number, range: TimeRange, area: PlotArea): number {
  if (!(area.width > 0)) {
    return range.startMs;
  }
  const f = Math.min(1, Math.max(0, (x - area.left) / area.width));
  return range.startMs + f * (range.endMs - range.startMs);
}

/** valueToY maps a 0..1 score to its y in area: 0 at the bottom, 1 at the top, clamped. */
export function valueToY(v: number, area: PlotArea): number {
  const c = v > 1 ? 1 : v > 0 ? v : 0;
  return area.top + (1 - c) * area.height;
}

/** liveRange is the window of the last windowMs ending at nowMs. */
export function liveRange(nowMs: number, windowMs: number): TimeRange {
  return { startMs: nowMs - windowMs, endMs: nowMs };
}

/** Sample is one point of every signal at one time, for the live plot. */
export interface Sample {
  timeMs: number;
  scores: number[];
}

/**
 * SignalHistory keeps the samples of the last windowMs of a live session.
 * A time that goes backwards (the candidate reconnected and the stream
 * restarted) clears it.
 */
export class SignalHistory {
  private readonly buf: RingBuffer<Sample>;

  constructor(
    readonly windowMs: number,
    capacity: number,
  ) {
    this.buf = new RingBuffer<Sample>(capacity);
  }

  /** add appends a sample and forgets the ones older than the window. */
  add(s: Sample): void {
    const last = this.buf.last();
    if (last !== undefined && s.timeMs < last.timeMs) {
      this.buf.clear();
    }
    this.buf.push(s);
    const cutoff = s.timeMs - this.windowMs;
    this.buf.dropWhile((x) => x.timeMs < cutoff);
  }

  /** newestMs is the time of the newest sample, or 0. */
  newestMs(): number {
    return this.buf.last()?.timeMs ?? 0;
  }

  /** samples returns the held samples, oldest first. */
  samples(): Sample[] {
    return this.buf.toArray();
  }

  get length(): number {
    return this.buf.length;
  }
}
