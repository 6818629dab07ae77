// framePump.ts refreshes the video picture from overlay frame URLs without
// ever piling up requests: at most one image loads at a time, and while it
// loads only the newest offered frame is kept (older ones are skipped, as
// the Go side does between ingest and analysis). Once an image has loaded,
// the next animation frame paints its overlay and reports the latency from
// the event's arrival to that paint.

/** Loader loads one image URL at a time into the visible picture. */
export interface Loader {
  /** load starts loading url, replacing any earlier load, and calls done once. */
  load(url: string, done: (ok: boolean) => void): void;
  /** cancel forgets the current load; its done is not called. */
  cancel(): void;
}

/** imageLoader drives an <img> element. */
export function imageLoader(img: HTMLImageElement): Loader {
  let token = 0;
  return {
    load(url, done) {
      const t = ++token;
      img.onload = () => {
        if (t === token) {
          done(true);
        }
      };
      img.onerror = () => {
        if (t === token) {
          done(false);
        }
      };
      img.src = url;
    },
    cancel() {
      token++;
      img.onload = null;
      img.onerror = null;
    },
  };
}

/** PumpDeps are the clock and scheduler, replaceable in tests. */
export interface PumpDeps {
  raf: (cb: () => void) => void;
  now: () => number;
}

const browserDeps = (): PumpDeps => ({
  raf: (cb) => {
    window.requestAnimationFrame(() => cb());
  },
  now: () => performance.now(),
});

interface Pending<T> {
  item: T;
  arrivedAt: number;
}

/**
 * FramePump shows items (anything with a frameURL) in order of offer,
 * skipping the ones displaced while an image was loading. It is not safe
 * to use after dispose.
 */
export class FramePump<T extends { frameURL: string }> {
  private loading: Pending<T> | null = null;
  private pending: Pending<T> | null = null;
  private shownURL = "";
  private disposed = false;
  private skippedCount = 0;
  private failedCount = 0;
  private readonly deps: PumpDeps;

  /**
   * onPaint runs in the animation frame after item's image loaded, with the
   * time the item was offered and the time of the paint.
   */
  constructor(
    private readonly loader: Loader,
    private readonly onPaint: (item: T, arrivedAt: number, paintedAt: number) => void,
    deps?: PumpDeps,
  ) {
    this.deps = deps ?? browserDeps();
  }

  /** offer queues item for display; arrivedAt defaults to now. */
  offer(item: T, arrivedAt?: number): void {
    if (this.disposed) {
      return;
    }
    const p: Pending<T> = { item, arrivedAt: arrivedAt ?? this.deps.now() };
    if (this.loading !== null) {
      if (this.pending !== null) {
        this.skippedCount++;
      }
      this.pending = p;
      return;
    }
    this.start(p);
  }

  /** busy reports whether an image is loading. */
  get busy(): boolean {
    return this.loading !== null;
  }

  /** skipped counts items displaced by newer ones before their image was requested. */
  get skipped(): number {
    return this.skippedCount;
  }

  /** failed counts images that did not load. */
  get failed(): number {
    return this.failedCount;
  }

  /** dispose stops loading and painting. Dispose is idempotent. */
  dispose(): void {
    this.disposed = true;
    this.loader.cancel();
    this.loading = null;
    this.pending = null;
  }

  private start(p: Pending<T>): void {
    this.loading = p;
    const url = p.item.frameURL;
    if (url === "" || url === this.shownURL) {
      // Nothing new to fetch: the picture on screen is already this frame.
      this.paint(p);
      return;
    }
    this.loader.load(url, (ok) => {
      if (this.disposed || this.loading !== p) {
        return;
      }
      if (!ok) {
        this.failedCount++;
        this.loading = null;
        this.next();
        return;
      }
      this.shownURL = url;
      this.paint(p);
    });
  }

  private paint(p: Pending<T>): void {
    this.deps.raf(() => {
      if (this.disposed || this.loading !== p) {
        return;
      }
      this.loading = null;
      this.onPaint(p.item, p.arrivedAt, this.deps.now());
      this.next();
    });
  }

  private next(): void {
    const p = this.pending;
    this.pending = null;
    if (p !== null) {
      this.start(p);
    }
  }
}
