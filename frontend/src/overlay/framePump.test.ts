import { describe, expect, it } from "vitest";
import { FramePump, type Loader, type PumpDeps } from "./framePump";

/** fakeLoader records loads; tests finish them by hand. */
function fakeLoader() {
  const loads: Array<{ url: string; done: (ok: boolean) => void }> = [];
  let cancelled = 0;
  const loader: Loader = {
    load: (url, done) => {
      loads.push({ url, done });
    },
    cancel: () => {
      cancelled++;
    },
  };
  return { loader, loads, cancelled: () => cancelled };
}

function fakeDeps() {
  let t = 0;
  const frames: Array<() => void> = [];
  const deps: PumpDeps = { raf: (cb) => frames.push(cb), now: () => t };
  return {
    deps,
    setNow: (x: number) => {
      t = x;
    },
    runFrames: () => {
      while (frames.length > 0) {
        frames.shift()?.();
      }
    },
  };
}

type Item = { n: number; frameURL: string };
const item = (n: number): Item => ({ n, frameURL: `/frames/live/a/latest.jpg?n=${n}` });

describe("FramePump", () => {
  it("loads one image at a time and keeps only the newest waiting frame", () => {
    const l = fakeLoader();
    const d = fakeDeps();
    const painted: number[] = [];
    const pump = new FramePump<Item>(l.loader, (it) => painted.push(it.n), d.deps);

    pump.offer(item(1));
    pump.offer(item(2));
    pump.offer(item(3));
    pump.offer(item(4));
    expect(l.loads.map((x) => x.url)).toEqual([item(1).frameURL]);
    expect(pump.skipped).toBe(2);

    l.loads[0]?.done(true);
    expect(painted).toEqual([]); // painted in the next animation frame
    d.runFrames();
    expect(painted).toEqual([1]);
    // Only now is the newest waiting frame requested.
    expect(l.loads.map((x) => x.url)).toEqual([item(1).frameURL, item(4).frameURL]);
    l.loads[1]?.done(true);
    d.runFrames();
    expect(painted).toEqual([1, 4]);
    expect(pump.busy).toBe(false);
  });

  it("reports the time from arrival to paint", () => {
    const l = fakeLoader();
    const d = fakeDeps();
    const latencies: number[] = [];
    const pump = new FramePump<Item>(l.loader, (_it, arrived, painted) => latencies.push(painted - arrived), d.deps);
    d.setNow(1000);
    pump.offer(item(1));
    d.setNow(1040);
    l.loads[0]?.done(true);
    d.setNow(1055);
    d.runFrames();
    expect(latencies).toEqual([55]);
  });

  it("skips a frame whose image fails and moves on", () => {
    const l = fakeLoader();
    const d = fakeDeps();
    const painted: number[] = [];
    const pump = new FramePump<Item>(l.loader, (it) => painted.push(it.n), d.deps);
    pump.offer(item(1));
    pump.offer(item(2));
    l.loads[0]?.done(false);
    expect(pump.failed).toBe(1);
    expect(l.loads).toHaveLength(2);
    l.loads[1]?.done(true);
    d.runFrames();
    expect(painted).toEqual([2]);
  });

  it("does not reload the picture already on screen", () => {
    const l = fakeLoader();
    const d = fakeDeps();
    const painted: number[] = [];
    const pump = new FramePump<Item>(l.loader, (it) => painted.push(it.n), d.deps);
    pump.offer(item(1));
    l.loads[0]?.done(true);
    d.runFrames();
    pump.offer({ n: 10, frameURL: item(1).frameURL });
    d.runFrames();
    expect(l.loads).toHaveLength(1);
    expect(painted).toEqual([1, 10]);
  });

  it("stops after dispose", () => {
    const l = fakeLoader();
    const d = fakeDeps();
    const painted: number[] = [];
    const pump = new FramePump<Item>(l.loader, (it) => painted.push(it.n), d.deps);
    pump.offer(item(1));
    pump.dispose();
    l.loads[0]?.done(true);
    d.runFrames();
    pump.offer(item(2));
    expect(painted).toEqual([]);
    expect(l.loads).toHaveLength(1);
    expect(l.cancelled()).toBe(1);
  });
});
