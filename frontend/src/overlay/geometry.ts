// geometry.ts maps frame pixels to canvas pixels. The video is shown with
// object-fit: contain, so a frame whose aspect differs from the element's
// is letterboxed (bars top and bottom) or pillarboxed (bars left and
// right); the canvas covers the whole element at devicePixelRatio so lines
// stay sharp on high-density screens.

import type { Rect } from "../api/types";

/** Fit is where a frame lands inside a display box, in CSS pixels. */
export interface Fit {
  /** CSS pixels per frame pixel. */
  scale: number;
  offsetX: number;
  offsetY: number;
  /** The device pixel ratio canvas coordinates are multiplied by. */
  dpr: number;
}

/**
 * fitContain returns where a frameW×frameH frame is drawn inside a
 * boxW×boxH box with object-fit: contain, centred. A zero-sized frame or
 * box yields scale 0, so nothing is drawn.
 */
export function fitContain(frameW: number, frameH: number, boxW: number, boxH: number, dpr = 1): Fit {
  const ratio = dpr > 0 && Number.isFinite(dpr) ? dpr : 1;
  if (frameW <= 0 || frameH <= 0 || boxW <= 0 || boxH <= 0) {
    return { scale: 0, offsetX: 0, offsetY: 0, dpr: ratio };
  }
  const scale = Math.min(boxW / frameW, boxH / frameH);
  return {
    scale,
    offsetX: (boxW - frameW * scale) / 2,
    offsetY: (boxH - frameH * scale) / 2,
    dpr: ratio,
  };
}

/** toCanvasPoint maps a frame point to canvas (device) pixels. */
export function toCanvasPoint(fit: Fit, x: number, y: number): { x: number; y: number } {
  return {
    x: (fit.offsetX + x * fit.scale) * fit.dpr,
    y: (fit.offsetY + y * fit.scale) * fit.dpr,
  };
}

/** toCanvasRect maps a frame rectangle to canvas (device) pixels. */
export function toCanvasRect(fit: Fit, r: Rect): Rect {
  const p = toCanvasPoint(fit, r.x, r.y);
  const k = fit.scale * fit.dpr;
  return { x: p.x, y: p.y, w: r.w * k, h: r.h * k };
}

/**
 * canvasSize is the backing-store size of a canvas shown at cssW×cssH CSS
 * pixels, rounded to whole device pixels.
 */
export function canvasSize(cssW: number, cssH: number, dpr: number): { width: number; height: number } {
  const ratio = dpr > 0 && Number.isFinite(dpr) ? dpr : 1;
  return {
    width: Math.max(0, Math.round(cssW * ratio)),
    height: Math.max(0, Math.round(cssH * ratio)),
  };
}
