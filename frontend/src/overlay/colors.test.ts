import { describe, expect, it } from "vitest";
import { PALETTES, VIDEO_COLORS } from "../theme/palette";
import { clamp01, levelColor, levelForScore, levelLabel, videoLevelColor } from "./colors";

describe("levelForScore", () => {
  const cases: Array<[number, string]> = [
    [0, "low"],
    [0.49, "low"],
    [0.5, "medium"],
    [0.74, "medium"],
    [0.75, "high"],
    [1, "high"],
    [Number.NaN, "low"],
  ];
  for (const [score, want] of cases) {
    it(`${score} is ${want}`, () => {
      expect(levelForScore(score)).toBe(want);
    });
  }
});

describe("levelColor", () => {
  it("uses the theme's level colours", () => {
    for (const p of Object.values(PALETTES)) {
      expect(levelColor("low", p)).toBe(p.low);
      expect(levelColor("medium", p)).toBe(p.medium);
      expect(levelColor("high", p)).toBe(p.high);
      expect(levelColor("", p)).toBe(p.muted);
    }
  });

  it("gives each level a different colour over the video", () => {
    const got = new Set([videoLevelColor("low"), videoLevelColor("medium"), videoLevelColor("high")]);
    expect(got.size).toBe(3);
    expect(videoLevelColor("high")).toBe(VIDEO_COLORS.high);
  });
});

describe("levelLabel and clamp01", () => {
  it("labels levels", () => {
    expect(levelLabel("high")).toBe("High");
    expect(levelLabel("")).toBe("Not rated");
  });
  it("clamps", () => {
    expect(clamp01(-1)).toBe(0);
    expect(clamp01(2)).toBe(1);
    expect(clamp01(0.3)).toBe(0.3);
    expect(clamp01(Number.NaN)).toBe(0);
  });
});
