// colors.ts maps risk to colours. The overall level always comes from Go
// (it depends on the sensitivity setting); levelForScore only classes a
// single signal's score for colouring its bar and region.

import type { Level } from "../api/types";
import type { Palette } from "../theme/palette";
import { VIDEO_COLORS } from "../theme/palette";

/**
 * SIGNAL_MEDIUM is the score from which a signal is drawn as suspicious
 * and its region outlined on the video; SIGNAL_HIGH the score from which it
 * is drawn as high risk.
 */
export const SIGNAL_MEDIUM = 0.5;
export const SIGNAL_HIGH = 0.75;

/** levelForScore classes a 0..1 signal score. */
export function levelForScore(score: number): Level {
  if (!(score >= SIGNAL_MEDIUM)) {
    return "low";
  }
  return score >= SIGNAL_HIGH ? "high" : "medium";
}

/** levelColor is the palette colour of a level; "" (unknown) is muted. */
export function levelColor(level: Level | "", p: Palette): string {
  switch (level) {
    case "low":
      return p.low;
    case "medium":
      return p.medium;
    case "high":
      return p.high;
    default:
      return p.muted;
  }
}

/** videoLevelColor is the stroke colour of a level drawn over the video. */
export function videoLevelColor(level: Level): string {
  return VIDEO_COLORS[level];
}

/** levelLabel is a level's display name; "" reads as "Not rated". */
export function levelLabel(level: Level | ""): string {
  switch (level) {
    case "low":
      return "Low";
    case "medium":
      return "Medium";
    case "high":
      return "High";
    default:
      return "Not rated";
  }
}

/** clamp01 limits x to 0..1; NaN becomes 0. */
export function clamp01(x: number): number {
  if (!(x > 0)) {
    return 0;
  }
  return x > 1 ? 1 : x;
}
