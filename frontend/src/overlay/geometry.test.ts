import { describe, expect, it } from "vitest";
import { canvasSize, fitContain, toCanvasPoint, toCanvasRect } from "./geometry";

describe("fitContain", () => {
  const cases = [
    { name: "same aspect fills the box", frame: [1280, 720], box: [640, 360], want: { scale: 0.5, offsetX: 0, offsetY: 0 } },
    { name: "wide box pillarboxes", frame: [640, 480], box: [800, 480], want: { scale: 1, offsetX: 80, offsetY: 0 } },
    { name: "tall box letterboxes", frame: [1920, 1080], box: [960, 720], want: { scale: 0.5, offsetX: 0, offsetY: 90 } },
    { name: "upscales a small frame", frame: [320, 240], box: [640, 480], want: { scale: 2, offsetX: 0, offsetY: 0 } },
    { name: "zero box draws nothing", frame: [640, 480], box: [0, 0], want: { scale: 0, offsetX: 0, offsetY: 0 } },
    { name: "unknown frame draws nothing", frame: [0, 0], box: [640, 480], want: { scale: 0, offsetX: 0, offsetY: 0 } },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const got = fitContain(c.frame[0], c.frame[1], c.box[0], c.box[1]);
      expect(got.scale).toBeCloseTo(c.want.scale);
      expect(got.offsetX).toBeCloseTo(c.want.offsetX);
      expect(got.offsetY).toBeCloseTo(c.want.offsetY);
    });
  }

  it("falls back to a ratio of 1 for a bad devicePixelRatio", () => {
    expect(fitContain(10, 10, 10, 10, 0).dpr).toBe(1);
    expect(fitContain(10, 10, 10, 10, Number.NaN).dpr).toBe(1);
  });
});

describe("toCanvasRect", () => {
  it("maps a face box through letterboxing and devicePixelRatio", () => {
    // 1920×1080 frame in a 960×720 box: scale 0.5, bars of 90 px top and bottom.
    const fit = fitContain(1920, 1080, 960, 720, 2);
    const got = toCanvasRect(fit, { x: 100, y: 200, w: 300, h: 400 });
    expect(got).toEqual({ x: (0 + 100 * 0.5) * 2, y: (90 + 200 * 0.5) * 2, w: 300, h: 400 });
  });

  it("maps the frame corners to the edges of the picture", () => {
    const fit = fitContain(640, 480, 800, 480, 1.5);
    expect(toCanvasPoint(fit, 0, 0)).toEqual({ x: 80 * 1.5, y: 0 });
    expect(toCanvasPoint(fit, 640, 480)).toEqual({ x: 720 * 1.5, y: 480 * 1.5 });
  });
});

describe("canvasSize", () => {
  it("rounds to whole device pixels", () => {
    expect(canvasSize(333.3, 187.5, 1.5)).toEqual({ width: 500, height: 281 });
    expect(canvasSize(100, 50, 0)).toEqual({ width: 100, height: 50 });
  });
});
