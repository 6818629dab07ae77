import { describe, expect, it } from "vitest";
import type { Overlay } from "../api/types";
import { OverlayCache } from "./overlayCache";

function overlay(frame: number): Overlay {
  return {
    source: "review",
    id: "r1",
    frame,
    timeMs: frame * 40,
    width: 640,
    height: 360,
    box: null,
    landmarks: [],
    risk: 0,
    level: "low",
    signals: [],
    audioLevel: 0,
    lipOffsetMs: null,
    lipConfidence: 0,
    dropped: 0,
    latencyMs: 0,
    frameURL: `/frames/review/r1/${frame}.jpg`,
  };
}

/** fakeBackend serves frames [0, analysed) and records each request. */
function fakeBackend(analysed: () => number) {
  const requests: Array<[number, number]> = [];
  const pending: Array<() => void> = [];
  let hold = false;
  const fetch = (from: number, count: number): Promise<Overlay[]> => {
    requests.push([from, count]);
    const result = (): Overlay[] => {
      const out: Overlay[] = [];
      for (let f = from; f < Math.min(from + count, analysed()); f++) {
        out.push(overlay(f));
      }
      return out;
    };
    if (!hold) {
      return Promise.resolve(result());
    }
    return new Promise((resolve) => pending.push(() => resolve(result())));
  };
  return {
    fetch,
    requests,
    holdResponses: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      while (pending.length > 0) {
        pending.shift()?.();
      }
    },
  };
}

describe("OverlayCache", () => {
  it("fetches the aligned batch and the one ahead", async () => {
    const b = fakeBackend(() => 1000);
    const c = new OverlayCache(b.fetch, 1000, { batchSize: 50, prefetch: 1 });
    expect(c.plan(73)).toEqual([50, 100]);
    const o = await c.ensure(73);
    expect(o?.frame).toBe(73);
    expect(b.requests).toEqual([
      [50, 50],
      [100, 50],
    ]);
    expect(c.plan(73)).toEqual([]);
    expect(c.plan(120)).toEqual([150]);
  });

  it("never requests a batch twice while it is in flight", async () => {
    const b = fakeBackend(() => 1000);
    b.holdResponses();
    const c = new OverlayCache(b.fetch, 1000, { batchSize: 50, prefetch: 0 });
    const p1 = c.ensure(10);
    const p2 = c.ensure(20);
    const p3 = c.ensure(49);
    expect(b.requests).toEqual([[0, 50]]);
    b.release();
    const got = await Promise.all([p1, p2, p3]);
    expect(got.map((o) => o?.frame)).toEqual([10, 20, 49]);
    await c.ensure(30);
    expect(b.requests).toEqual([[0, 50]]);
  });

  it("does not ask for frames past the end or not analysed yet", () => {
    const b = fakeBackend(() => 0);
    const c = new OverlayCache(b.fetch, 120, { batchSize: 50, prefetch: 2 });
    expect(c.plan(110)).toEqual([100]);
    c.setProgress(60, false);
    expect(c.plan(0)).toEqual([0, 50]);
    expect(c.plan(70)).toEqual([50]);
  });

  it("refetches a short batch only after progress passes it", async () => {
    let analysed = 30;
    const b = fakeBackend(() => analysed);
    const c = new OverlayCache(b.fetch, 1000, { batchSize: 50, prefetch: 0 });
    c.setProgress(30, false);
    expect((await c.ensure(10))?.frame).toBe(10);
    expect(await c.ensure(40)).toBeUndefined();
    expect(b.requests).toHaveLength(1);

    // Progress that does not reach past what the batch holds: no request.
    c.setProgress(30, false);
    await c.ensure(40);
    expect(b.requests).toHaveLength(1);

    analysed = 45;
    c.setProgress(45, false);
    expect((await c.ensure(40))?.frame).toBe(40);
    expect(b.requests).toHaveLength(2);
    await c.ensure(40);
    expect(b.requests).toHaveLength(2);
  });

  it("treats the batches fetched after the analysis finished as complete", async () => {
    const b = fakeBackend(() => 70);
    const c = new OverlayCache(b.fetch, 100, { batchSize: 50, prefetch: 0 });
    c.setProgress(70, true);
    await c.ensure(60);
    await c.ensure(90);
    expect(b.requests).toEqual([[50, 50]]);
  });

  it("fetches batches seen during the analysis once more after it finishes", async () => {
    const b = fakeBackend(() => 100);
    const c = new OverlayCache(b.fetch, 100, { batchSize: 50, prefetch: 0 });
    c.setProgress(100, false);
    await c.ensure(10);
    await c.ensure(10);
    expect(b.requests).toHaveLength(1);
    c.setProgress(100, true);
    expect(c.get(10)).toBeDefined(); // the old value stays until replaced
    await c.ensure(10);
    await c.ensure(10);
    expect(b.requests).toEqual([
      [0, 50],
      [0, 50],
    ]);
  });

  it("evicts the least recently used batches", async () => {
    const b = fakeBackend(() => 10_000);
    const c = new OverlayCache(b.fetch, 10_000, { batchSize: 10, maxBatches: 3, prefetch: 0 });
    await c.ensure(0);
    await c.ensure(10);
    await c.ensure(20);
    c.get(0); // 0 is now more recent than 10
    await c.ensure(30);
    expect(c.cachedBatches).toBe(3);
    expect(c.get(0)).toBeDefined();
    expect(c.get(10)).toBeUndefined();
    await c.ensure(10);
    expect(b.requests.map((r) => r[0])).toEqual([0, 10, 20, 30, 10]);
  });

  it("forgets a failed request so it can be retried", async () => {
    let fail = true;
    const requests: number[] = [];
    const c = new OverlayCache(
      (from) => {
        requests.push(from);
        return fail ? Promise.reject(new Error("busy")) : Promise.resolve([overlay(from)]);
      },
      100,
      { batchSize: 10, prefetch: 0 },
    );
    await expect(c.ensure(0)).rejects.toThrow("busy");
    fail = false;
    expect((await c.ensure(0))?.frame).toBe(0);
    expect(requests).toEqual([0, 0]);
  });
});
