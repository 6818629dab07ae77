import { describe, expect, it } from "vitest";
import type { Level, RiskWindow } from "../api/types";
import { evidenceWindows, frameAtTime, mergeWindow, sortWindows, timeOfFrame, windowFrame } from "./windows";

const w = (startMs: number, level: Level = "low", risk = 0.1): RiskWindow => ({
  startMs,
  endMs: startMs + 2000,
  risk,
  level,
  scores: { temporal: 0, occlusion: 0, lighting: 0, lipsync: 0, boundary: 0, virtual_camera: 0, blink: 0 },
  reasons: [],
});

describe("mergeWindow", () => {
  it("inserts in time order and replaces a window with the same start", () => {
    let ws: RiskWindow[] = [];
    ws = mergeWindow(ws, w(4000));
    ws = mergeWindow(ws, w(0));
    ws = mergeWindow(ws, w(2000));
    ws = mergeWindow(ws, w(2000, "high", 0.9));
    expect(ws.map((x) => [x.startMs, x.level])).toEqual([
      [0, "low"],
      [2000, "high"],
      [4000, "low"],
    ]);
  });

  it("leaves its input alone", () => {
    const ws = [w(0)];
    mergeWindow(ws, w(2000));
    expect(ws).toHaveLength(1);
  });

  it("sorts a whole list", () => {
    expect(sortWindows([w(4000), w(0), w(2000)]).map((x) => x.startMs)).toEqual([0, 2000, 4000]);
  });
});

describe("evidenceWindows", () => {
  it("keeps medium and high", () => {
    const got = evidenceWindows([w(0, "low"), w(2000, "medium"), w(4000, "high")]);
    expect(got.map((x) => x.startMs)).toEqual([2000, 4000]);
  });
});

describe("frames and times", () => {
  it("maps time to frame and back", () => {
    expect(frameAtTime(1000, 25, 0)).toBe(25);
    expect(frameAtTime(1039, 25, 0)).toBe(25);
    expect(frameAtTime(1040, 25, 0)).toBe(26);
    expect(frameAtTime(99_999, 25, 100)).toBe(99);
    expect(frameAtTime(-5, 25, 100)).toBe(0);
    expect(timeOfFrame(50, 25)).toBe(2000);
    // 29.97 fps: frame n starts at n*1000/29.97 and maps back to n.
    for (const n of [1, 100, 1799]) {
      expect(frameAtTime(timeOfFrame(n, 29.97), 29.97, 0)).toBe(n);
    }
  });

  it("shows a window's middle frame", () => {
    expect(windowFrame(w(2000), 30, 0)).toBe(90);
  });
});
