import { describe, expect, it } from "vitest";
import { formatClock, formatCountdown, formatDate, formatOffset, isZeroTime } from "./format";

describe("formatCountdown", () => {
  const cases: Array<[number, string]> = [
    [10_000, "0:10"],
    [9_001, "0:10"],
    [9_000, "0:09"],
    [500, "0:01"],
    [0, "0:00"],
    [-250, "0:00"],
    [65_000, "1:05"],
    [Number.NaN, "0:00"],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} ms → ${want}`, () => {
      expect(formatCountdown(ms)).toBe(want);
    });
  }
});

describe("formatClock", () => {
  it("shows minutes, seconds and tenths", () => {
    expect(formatClock(0)).toBe("0:00.0");
    expect(formatClock(61_234)).toBe("1:01.2");
    expect(formatClock(3_723_450)).toBe("1:02:03.4");
  });
});

describe("times", () => {
  it("recognises Go's zero time", () => {
    expect(isZeroTime("0001-01-01T00:00:00Z")).toBe(true);
    expect(isZeroTime("")).toBe(true);
    expect(isZeroTime("2025-03-01T10:00:00Z")).toBe(false);
    expect(formatDate("0001-01-01T00:00:00Z")).toBe("—");
    expect(formatDate("not a date")).toBe("—");
    expect(formatDate("2025-03-01T10:00:00Z")).toMatch(/^2025-03-0[12] \d\d:\d\d$/);
  });

  it("signs offsets", () => {
    expect(formatOffset(120.4)).toBe("+120 ms");
    expect(formatOffset(-80)).toBe("−80 ms");
    expect(formatOffset(0)).toBe("±0 ms");
    expect(formatOffset(null)).toBe("—");
  });
});
