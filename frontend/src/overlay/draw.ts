// draw.ts paints an overlay over the video: the face box coloured by the
// risk level, optionally the 68 landmarks, and the region of every signal
// scoring at least SIGNAL_MEDIUM outlined with its name.

import type { Overlay } from "../api/types";
import { signalLabel } from "../components/signalNames";
import { VIDEO_COLORS } from "../theme/palette";
import { levelForScore, SIGNAL_MEDIUM, videoLevelColor } from "./colors";
import { canvasSize, fitContain, toCanvasPoint, toCanvasRect, type Fit } from "./geometry";

/** DrawOptions choose what drawOverlay paints. */
export interface DrawOptions {
  landmarks: boolean;
}

/**
 * sizeCanvas gives canvas a backing store matching its displayed size at
 * dpr and returns the fit of a frameW×frameH frame inside it.
 */
export function sizeCanvas(canvas: HTMLCanvasElement, frameW: number, frameH: number, dpr: number): Fit {
  const cssW = canvas.clientWidth;
  const cssH = canvas.clientHeight;
  const size = canvasSize(cssW, cssH, dpr);
  if (canvas.width !== size.width) {
    canvas.width = size.width;
  }
  if (canvas.height !== size.height) {
    canvas.height = size.height;
  }
  return fitContain(frameW, frameH, cssW, cssH, dpr);
}

/** clearCanvas erases the whole canvas. */
export function clearCanvas(canvas: HTMLCanvasElement): void {
  canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
}

/** drawOverlay paints o on canvas, replacing what was there. */
export function drawOverlay(canvas: HTMLCanvasElement, o: Overlay, opts: DrawOptions, dpr: number): void {
  const fit = sizeCanvas(canvas, o.width, o.height, dpr);
  const ctx = canvas.getContext("2d");
  if (ctx === null) {
    return;
  }
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (fit.scale === 0) {
    return;
  }
  const px = fit.dpr;
  ctx.font = `${Math.round(12 * px)}px system-ui, sans-serif`;
  ctx.textBaseline = "top";

  for (const s of o.signals) {
    if (s.region === null || !(s.score >= SIGNAL_MEDIUM)) {
      continue;
    }
    const r = toCanvasRect(fit, s.region);
    ctx.save();
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.lineWidth = 1.5 * px;
    ctx.strokeStyle = videoLevelColor(levelForScore(s.score));
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    ctx.restore();
    label(ctx, `${signalLabel(s.name)} ${s.score.toFixed(2)}`, r.x, r.y + r.h + 2 * px, px);
  }

  if (o.box !== null) {
    const r = toCanvasRect(fit, o.box);
    ctx.lineWidth = 3 * px;
    ctx.strokeStyle = videoLevelColor(o.level);
    ctx.strokeRect(r.x, r.y, r.w, r.h);
    label(ctx, `Risk ${o.risk.toFixed(2)} · ${o.level}`, r.x, r.y - 18 * px, px);
  }

  if (opts.landmarks && o.landmarks.length >= 2) {
    ctx.fillStyle = VIDEO_COLORS.landmark;
    const d = 1.8 * px;
    for (let i = 0; i + 1 < o.landmarks.length; i += 2) {
      const p = toCanvasPoint(fit, o.landmarks[i] as number, o.landmarks[i + 1] as number);
      ctx.fillRect(p.x - d / 2, p.y - d / 2, d, d);
    }
  }
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, px: number): void {
  const pad = 3 * px;
  const w = ctx.measureText(text).width + 2 * pad;
  const h = 12 * px + 2 * pad;
  const top = Math.max(0, y);
  ctx.fillStyle = VIDEO_COLORS.labelBg;
  ctx.fillRect(x, top, w, h);
  ctx.fillStyle = VIDEO_COLORS.labelText;
  ctx.fillText(text, x + pad, top + pad);
}
