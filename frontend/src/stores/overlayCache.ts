// overlayCache.ts holds the per-frame analysis of a recording under review.
// The player asks for frames one at a time; the cache fetches them from Go
// in fixed batches aligned to batchSize, prefetches the batches ahead,
// never requests a batch twice while it is in flight, and keeps at most
// maxBatches batches (least recently used go first) so an hour-long
// recording does not fill memory.
//
// While the recording is still being analysed a batch can come back short:
// its later frames do not exist yet. Such a batch is fetched again only
// once progress reports frames past what it holds. When the analysis
// finishes, every batch fetched before is fetched again on next use, since
// the final fusion may revise the scores of frames already seen.

import type { Overlay } from "../api/types";

/** FetchBatch resolves to the analysed frames [from, from+count). */
export type FetchBatch = (from: number, count: number) => Promise<Overlay[]>;

/** CacheOptions tune the cache; the defaults suit 25-60 fps recordings. */
export interface CacheOptions {
  batchSize?: number;
  maxBatches?: number;
  /** prefetch is how many batches after the current one to load ahead. */
  prefetch?: number;
}

interface Batch {
  frames: Map<number, Overlay>;
  complete: boolean;
  /** progressKey at the time of the fetch that filled this batch. */
  fetchedAt: number;
  lastUsed: number;
}

/** OverlayCache caches one recording's overlays. It is not safe for use by two recordings. */
export class OverlayCache {
  readonly batchSize: number;
  readonly maxBatches: number;
  readonly prefetch: number;
  private readonly batches = new Map<number, Batch>();
  private readonly inFlight = new Map<number, Promise<void>>();
  /** analysed is the number of frames analysed so far; -1 until progress is known. */
  private analysed = -1;
  private finished = false;
  private clock = 0;

  /** total is the number of frames in the recording; 0 if unknown. */
  constructor(
    private readonly fetchBatch: FetchBatch,
    private total: number,
    opts: CacheOptions = {},
  ) {
    this.batchSize = Math.max(1, Math.floor(opts.batchSize ?? 64));
    this.maxBatches = Math.max(2, Math.floor(opts.maxBatches ?? 48));
    this.prefetch = Math.max(0, Math.floor(opts.prefetch ?? 1));
  }

  /** batchStart is the first frame of the batch holding frame. */
  batchStart(frame: number): number {
    return Math.floor(Math.max(0, frame) / this.batchSize) * this.batchSize;
  }

  /** setProgress records how many frames are analysed and whether analysis has finished. */
  setProgress(done: number, finished: boolean, total?: number): void {
    this.analysed = Math.max(this.analysed, Math.floor(done));
    if (finished && !this.finished) {
      // Scores fused at the end can change frames fetched while the
      // analysis ran: let every such batch be fetched once more.
      for (const b of this.batches.values()) {
        b.complete = false;
      }
    }
    this.finished = this.finished || finished;
    if (total !== undefined && total > 0) {
      this.total = total;
    }
  }

  /** get returns the cached overlay of frame, or undefined. */
  get(frame: number): Overlay | undefined {
    const b = this.batches.get(this.batchStart(frame));
    if (b === undefined) {
      return undefined;
    }
    b.lastUsed = ++this.clock;
    return b.frames.get(frame);
  }

  /** cachedBatches is the number of batches held. */
  get cachedBatches(): number {
    return this.batches.size;
  }

  /** plan returns the batch starts that showing frame needs fetched now, in order. */
  plan(frame: number): number[] {
    const first = this.batchStart(frame);
    const out: number[] = [];
    for (let k = 0; k <= this.prefetch; k++) {
      const s = first + k * this.batchSize;
      if (this.needs(s)) {
        out.push(s);
      }
    }
    return out;
  }

  /**
   * ensure fetches what frame needs (plus prefetch) and resolves to its
   * overlay, or undefined when it has not been analysed yet. It rejects when
   * the batch holding frame cannot be fetched.
   */
  async ensure(frame: number): Promise<Overlay | undefined> {
    for (const s of this.plan(frame)) {
      this.load(s);
    }
    const p = this.inFlight.get(this.batchStart(frame));
    if (p !== undefined) {
      await p;
    }
    return this.get(frame);
  }

  private progressKey(): number {
    return this.finished ? Number.POSITIVE_INFINITY : this.analysed;
  }

  private needs(s: number): boolean {
    if (this.total > 0 && s >= this.total) {
      return false;
    }
    if (this.inFlight.has(s)) {
      return false;
    }
    const b = this.batches.get(s);
    if (b === undefined) {
      // Not analysed yet: nothing to fetch. Unknown progress: try.
      return this.finished || this.analysed < 0 || s < this.analysed;
    }
    if (b.complete) {
      return false;
    }
    const have = s + b.frames.size;
    const moreExists = this.finished || this.analysed > have;
    return moreExists && this.progressKey() > b.fetchedAt;
  }

  private load(s: number): void {
    const fetchedAt = this.progressKey();
    const finishedAtStart = this.finished;
    const p = this.fetchBatch(s, this.batchSize)
      .then((overlays) => {
        const frames = new Map<number, Overlay>();
        for (const o of overlays) {
          if (o.frame >= s && o.frame < s + this.batchSize) {
            frames.set(o.frame, o);
          }
        }
        const end = this.total > 0 ? Math.min(s + this.batchSize, this.total) : s + this.batchSize;
        const complete = frames.size >= end - s || finishedAtStart;
        this.batches.set(s, { frames, complete, fetchedAt, lastUsed: ++this.clock });
        this.evict(s);
      })
      .finally(() => {
        this.inFlight.delete(s);
      });
    // Prefetches may fail unobserved; ensure() still sees the rejection.
    p.catch(() => {});
    this.inFlight.set(s, p);
  }

  private evict(keep: number): void {
    while (this.batches.size > this.maxBatches) {
      let oldest = -1;
      let oldestUse = Number.POSITIVE_INFINITY;
      for (const [s, b] of this.batches) {
        if (s !== keep && b.lastUsed < oldestUse) {
          oldest = s;
          oldestUse = b.lastUsed;
        }
      }
      if (oldest < 0) {
        return;
      }
      this.batches.delete(oldest);
    }
  }
}
