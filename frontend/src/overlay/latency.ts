// latency.ts measures display latency: the time from a live:overlay event
// arriving to its frame being painted. The recent values are published on
// window.__unmaskDisplayLatency so end-to-end tests can read them.

declare global {
  interface Window {
    /** __unmaskDisplayLatency holds the recent display latencies in ms, oldest first. */
    __unmaskDisplayLatency?: number[];
  }
}

/** median returns the median of xs, or NaN when empty. xs is not modified. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) {
    return Number.NaN;
  }
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length % 2 === 1) {
    return s[mid] as number;
  }
  return ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** LatencyWindow keeps the last size latencies. */
export class LatencyWindow {
  private values: number[] = [];

  constructor(
    readonly size = 100,
    private readonly publish: (values: number[]) => void = () => {},
  ) {}

  /** add records one latency in ms; negative or non-finite values are ignored. */
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      return;
    }
    this.values.push(ms);
    if (this.values.length > this.size) {
      this.values.splice(0, this.values.length - this.size);
    }
    this.publish(this.values.slice());
  }

  /** median is the median of the recent values, or NaN when none. */
  median(): number {
    return median(this.values);
  }

  /** recent returns a copy of the recent values, oldest first. */
  recent(): number[] {
    return this.values.slice();
  }
}

/** publishToWindow is a LatencyWindow publisher that sets window.__unmaskDisplayLatency. */
export function publishToWindow(values: number[]): void {
  window.__unmaskDisplayLatency = values;
}
