// plotDraw.ts paints the signal plots: the scrolling live plot of the last
// minute and the review timeline over a whole recording.

import { SIGNALS, type RiskWindow } from "../api/types";
import { SIGNAL_COLORS, type Palette } from "../theme/palette";
import { levelColor } from "./colors";
import { canvasSize } from "./geometry";
import { timeToX, valueToY, type PlotArea, type Sample, type TimeRange } from "./plot";

/** prepare sizes canvas to its displayed size and returns its context and plot area. */
export function preparePlot(
  canvas: HTMLCanvasElement,
  dpr: number,
): { ctx: CanvasRenderingContext2D; area: PlotArea; px: number } | null {
  const size = canvasSize(canvas.clientWidth, canvas.clientHeight, dpr);
  if (canvas.width !== size.width) {
    canvas.width = size.width;
  }
  if (canvas.height !== size.height) {
    canvas.height = size.height;
  }
  const ctx = canvas.getContext("2d");
  if (ctx === null || size.width === 0 || size.height === 0) {
    return null;
  }
  const px = dpr > 0 ? dpr : 1;
  return { ctx, area: plotArea(size.width, size.height, px), px };
}

/** plotArea is the drawing rectangle of a width×height canvas, leaving room for labels. */
export function plotArea(width: number, height: number, px: number): PlotArea {
  const left = 28 * px;
  const top = 6 * px;
  const bottom = 18 * px;
  const right = 6 * px;
  return {
    left,
    top,
    width: Math.max(0, width - left - right),
    height: Math.max(0, height - top - bottom),
  };
}

function grid(ctx: CanvasRenderingContext2D, area: PlotArea, p: Palette, px: number): void {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.strokeStyle = p.line;
  ctx.lineWidth = px;
  ctx.fillStyle = p.muted;
  ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (const v of [0, 0.5, 1]) {
    const y = Math.round(valueToY(v, area)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(area.left, y);
    ctx.lineTo(area.left + area.width, y);
    ctx.stroke();
    ctx.fillText(v.toFixed(1), area.left - 4 * px, y);
  }
}

/** drawLivePlot paints every signal's score over range from samples. */
export function drawLivePlot(
  canvas: HTMLCanvasElement,
  samples: readonly Sample[],
  range: TimeRange,
  p: Palette,
  dpr: number,
): void {
  const prep = preparePlot(canvas, dpr);
  if (prep === null) {
    return;
  }
  const { ctx, area, px } = prep;
  grid(ctx, area, p, px);
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(`−${Math.round((range.endMs - range.startMs) / 1000)} s`, area.left, area.top + area.height + 4 * px);
  ctx.textAlign = "right";
  ctx.fillText("now", area.left + area.width, area.top + area.height + 4 * px);

  ctx.lineWidth = 1.5 * px;
  SIGNALS.forEach((name, i) => {
    ctx.strokeStyle = SIGNAL_COLORS[name];
    ctx.beginPath();
    let started = false;
    for (const s of samples) {
      const v = s.scores[i];
      if (v === undefined || !Number.isFinite(v)) {
        started = false;
        continue;
      }
      const x = timeToX(s.timeMs, range, area);
      const y = valueToY(v, area);
      if (started) {
        ctx.lineTo(x, y);
      } else {
        ctx.moveTo(x, y);
        started = true;
      }
    }
    ctx.stroke();
  });
}

/**
 * drawTimeline paints the review timeline: medium and high windows shaded
 * in their level colour, every signal's score per window, and a cursor at
 * cursorMs.
 */
export function drawTimeline(
  canvas: HTMLCanvasElement,
  windows: readonly RiskWindow[],
  durationMs: number,
  cursorMs: number,
  p: Palette,
  dpr: number,
): void {
  const prep = preparePlot(canvas, dpr);
  if (prep === null) {
    return;
  }
  const { ctx, area, px } = prep;
  const range: TimeRange = { startMs: 0, endMs: Math.max(durationMs, 1) };
  grid(ctx, area, p, px);

  for (const w of windows) {
    if (w.level === "low") {
      continue;
    }
    const x0 = timeToX(w.startMs, range, area);
    const x1 = timeToX(w.endMs, range, area);
    ctx.globalAlpha = w.level === "high" ? 0.28 : 0.18;
    ctx.fillStyle = levelColor(w.level, p);
    ctx.fillRect(x0, area.top, Math.max(px, x1 - x0), area.height);
  }
  ctx.globalAlpha = 1;

  ctx.lineWidth = 1.5 * px;
  for (const name of SIGNALS) {
    ctx.strokeStyle = SIGNAL_COLORS[name];
    ctx.beginPath();
    let started = false;
    for (const w of windows) {
      const v = w.scores[name];
      if (v === undefined || !Number.isFinite(v)) {
        started = false;
        continue;
      }
      const y = valueToY(v, area);
      const x0 = timeToX(w.startMs, range, area);
      const x1 = timeToX(w.endMs, range, area);
      if (started) {
        ctx.lineTo(x0, y);
      } else {
        ctx.moveTo(x0, y);
        started = true;
      }
      ctx.lineTo(x1, y);
    }
    ctx.stroke();
  }

  const cx = Math.round(timeToX(cursorMs, range, area)) + 0.5;
  ctx.strokeStyle = p.text;
  ctx.lineWidth = 2 * px;
  ctx.beginPath();
  ctx.moveTo(cx, area.top);
  ctx.lineTo(cx, area.top + area.height);
  ctx.stroke();
}
