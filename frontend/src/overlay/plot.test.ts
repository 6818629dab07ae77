import { describe, expect, it } from "vitest";
import { liveRange, RingBuffer, SignalHistory, timeToX, valueToY, xToTime } from "./plot";

describe("RingBuffer", () => {
  it("keeps the newest items in order", () => {
    const b = new RingBuffer<number>(3);
    for (const x of [1, 2, 3, 4, 5]) {
      b.push(x);
    }
    expect(b.toArray()).toEqual([3, 4, 5]);
    expect(b.length).toBe(3);
    expect(b.at(0)).toBe(3);
    expect(b.last()).toBe(5);
    expect(b.at(3)).toBeUndefined();
  });

  it("drops from the old end", () => {
    const b = new RingBuffer<number>(4);
    for (const x of [1, 2, 3, 4, 5, 6]) {
      b.push(x);
    }
    b.dropWhile((x) => x < 5);
    expect(b.toArray()).toEqual([5, 6]);
    b.push(7);
    b.push(8);
    b.push(9);
    expect(b.toArray()).toEqual([6, 7, 8, 9]);
  });

  it("rejects a bad capacity", () => {
    expect(() => new RingBuffer(0)).toThrow();
    expect(() => new RingBuffer(1.5)).toThrow();
  });
});

describe("SignalHistory", () => {
  it("keeps only the last window", () => {
    const h = new SignalHistory(60_000, 100);
    for (let t = 0; t <= 90_000; t += 10_000) {
      h.add({ timeMs: t, scores: [t / 100_000] });
    }
    const times = h.samples().map((s) => s.timeMs);
    expect(times).toEqual([30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000]);
    expect(h.newestMs()).toBe(90_000);
  });

  it("starts over when the stream restarts", () => {
    const h = new SignalHistory(60_000, 100);
    h.add({ timeMs: 5_000, scores: [] });
    h.add({ timeMs: 6_000, scores: [] });
    h.add({ timeMs: 100, scores: [] });
    expect(h.samples().map((s) => s.timeMs)).toEqual([100]);
  });

  it("is bounded by its capacity at a high event rate", () => {
    const h = new SignalHistory(60_000, 50);
    for (let t = 0; t < 1000; t++) {
      h.add({ timeMs: t, scores: [] });
    }
    expect(h.length).toBe(50);
    expect(h.samples()[0]?.timeMs).toBe(950);
  });
});

describe("plot scaling", () => {
  const area = { left: 20, top: 10, width: 200, height: 100 };

  it("maps the time range across the area", () => {
    const r = liveRange(70_000, 60_000);
    expect(r).toEqual({ startMs: 10_000, endMs: 70_000 });
    expect(timeToX(10_000, r, area)).toBe(20);
    expect(timeToX(70_000, r, area)).toBe(220);
    expect(timeToX(40_000, r, area)).toBe(120);
  });

  it("inverts and clamps x to time", () => {
    const r = { startMs: 0, endMs: 10_000 };
    expect(xToTime(120, r, area)).toBe(5_000);
    expect(xToTime(0, r, area)).toBe(0);
    expect(xToTime(1_000, r, area)).toBe(10_000);
    for (const t of [0, 1234, 9999]) {
      expect(xToTime(timeToX(t, r, area), r, area)).toBeCloseTo(t);
    }
  });

  it("puts 0 at the bottom and 1 at the top, clamped", () => {
    expect(valueToY(0, area)).toBe(110);
    expect(valueToY(1, area)).toBe(10);
    expect(valueToY(0.25, area)).toBe(85);
    expect(valueToY(2, area)).toBe(10);
    expect(valueToY(-1, area)).toBe(110);
  });

  it("does not divide by zero on an empty range", () => {
    expect(timeToX(5, { startMs: 5, endMs: 5 }, area)).toBe(20);
  });
});
