// windows.ts keeps a recording's fused risk windows in time order and maps
// between time and frame numbers.

import type { RiskWindow } from "../api/types";

/**
 * mergeWindow returns ws with w added in start order; a window with the
 * same start replaces the older one (a re-fused window). ws is not modified.
 */
export function mergeWindow(ws: readonly RiskWindow[], w: RiskWindow): RiskWindow[] {
  const out = ws.filter((x) => x.startMs !== w.startMs);
  let i = out.length;
  while (i > 0 && (out[i - 1] as RiskWindow).startMs > w.startMs) {
    i--;
  }
  out.splice(i, 0, w);
  return out;
}

/** sortWindows returns ws in start order, keeping the last of equal starts. */
export function sortWindows(ws: readonly RiskWindow[]): RiskWindow[] {
  return ws.reduce<RiskWindow[]>((acc, w) => mergeWindow(acc, w), []);
}

/** evidenceWindows are the windows worth a thumbnail: medium or high risk. */
export function evidenceWindows(ws: readonly RiskWindow[]): RiskWindow[] {
  return ws.filter((w) => w.level === "medium" || w.level === "high");
}

/** frameAtTime is the frame shown at ms into a recording at fps, clamped to [0, frames-1] when frames > 0. */
export function frameAtTime(ms: number, fps: number, frames: number): number {
  const f = fps > 0 && ms > 0 ? Math.floor((ms * fps) / 1000 + 1e-6) : 0;
  return frames > 0 ? Math.min(f, frames - 1) : f;
}

/** timeOfFrame is the start time of frame in ms. */
export function timeOfFrame(frame: number, fps: number): number {
  return fps > 0 ? (frame * 1000) / fps : 0;
}

/** windowFrame is the frame a window's thumbnail shows: its middle. */
export function windowFrame(w: RiskWindow, fps: number, frames: number): number {
  return frameAtTime((w.startMs + w.endMs) / 2, fps, frames);
}
