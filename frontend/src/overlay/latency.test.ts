import { describe, expect, it } from "vitest";
import { LatencyWindow, median } from "./latency";

describe("median", () => {
  it("handles odd, even and empty inputs", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it("does not reorder its input", () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe("LatencyWindow", () => {
  it("keeps the last 100 values and publishes them", () => {
    let published: number[] = [];
    const w = new LatencyWindow(100, (v) => {
      published = v;
    });
    for (let i = 1; i <= 150; i++) {
      w.add(i);
    }
    expect(w.recent()).toHaveLength(100);
    expect(w.recent()[0]).toBe(51);
    expect(w.median()).toBe(100.5);
    expect(published).toEqual(w.recent());
  });

  it("ignores impossible values", () => {
    const w = new LatencyWindow(10);
    w.add(-3);
    w.add(Number.NaN);
    w.add(Number.POSITIVE_INFINITY);
    w.add(12);
    expect(w.recent()).toEqual([12]);
  });
});
