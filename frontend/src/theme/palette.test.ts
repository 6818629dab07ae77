import { describe, expect, it } from "vitest";
import { contrastRatio, parseHex, relativeLuminance } from "./contrast";
import { PALETTES, TEXT_PAIRS, VIDEO_COLORS, type ThemeName } from "./palette";
import { cssVar, initialTheme } from "./theme";

describe("contrastRatio", () => {
  it("matches the WCAG reference values", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#fff", "#fff")).toBe(1);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#ffffff", "#777777")).toBeCloseTo(contrastRatio("#777777", "#ffffff"));
    expect(relativeLuminance("#ff0000")).toBeCloseTo(0.2126, 4);
  });

  it("rejects what is not a hex colour", () => {
    expect(() => parseHex("red")).toThrow();
    expect(parseHex("#0af")).toEqual([0, 170, 255]);
  });
});

describe("palettes", () => {
  for (const theme of Object.keys(PALETTES) as ThemeName[]) {
    const p = PALETTES[theme];
    for (const [fg, bg] of TEXT_PAIRS) {
      it(`${theme}: ${fg} on ${bg} meets WCAG AA (4.5:1)`, () => {
        const ratio = contrastRatio(p[fg], p[bg]);
        expect(ratio, `${p[fg]} on ${p[bg]} is ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5);
      });
    }
  }

  it("labels over the video meet WCAG AA on their plate", () => {
    expect(contrastRatio(VIDEO_COLORS.labelText, VIDEO_COLORS.labelBgWorst)).toBeGreaterThanOrEqual(4.5);
  });

  it("defines the same keys in both themes", () => {
    expect(Object.keys(PALETTES.light).sort()).toEqual(Object.keys(PALETTES.dark).sort());
  });
});

describe("theme choice", () => {
  const store = (v: string | null) => ({ getItem: () => v });
  it("prefers the saved choice, then the system", () => {
    expect(initialTheme(store("light"), true)).toBe("light");
    expect(initialTheme(store("dark"), false)).toBe("dark");
    expect(initialTheme(store(null), true)).toBe("dark");
    expect(initialTheme(store("purple"), false)).toBe("light");
    expect(initialTheme(undefined, false)).toBe("light");
  });
  it("names custom properties", () => {
    expect(cssVar("accentText")).toBe("--accent-text");
    expect(cssVar("bg")).toBe("--bg");
  });
});
