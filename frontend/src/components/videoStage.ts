// videoStage.ts is the picture of the candidate with the analysis drawn
// over it: an <img> refreshed through a FramePump and a canvas
// (#overlay-canvas) covering it exactly. The overlay drawn is always the
// one of the frame on screen, painted in the same animation frame.

import type { Overlay } from "../api/types";
import { clearCanvas, drawOverlay } from "../overlay/draw";
import { FramePump, imageLoader, type PumpDeps } from "../overlay/framePump";
import { dpr, el } from "./dom";

/** VideoStage is the player element and its controls. */
export interface VideoStage {
  el: HTMLElement;
  img: HTMLImageElement;
  canvas: HTMLCanvasElement;
  /** show queues o for display; arrivedAt is when its event arrived. */
  show(o: Overlay, arrivedAt?: number): void;
  /** shown is the overlay on screen, if any. */
  shown(): Overlay | undefined;
  landmarks(): boolean;
  setLandmarks(on: boolean): void;
  /** redraw paints the shown overlay again, e.g. after a resize. */
  redraw(): void;
  /** clear removes the picture and the overlay, e.g. for a frame not analysed yet. */
  clear(message: string): void;
  dispose(): void;
}

/**
 * createVideoStage builds a player with the given element id. onPaint runs
 * after each frame is painted, with its event's arrival and paint times.
 */
export function createVideoStage(
  id: string,
  onPaint: (o: Overlay, arrivedAt: number, paintedAt: number) => void = () => {},
  deps?: PumpDeps,
): VideoStage {
  const img = el("img", { cls: "frame" });
  img.alt = "Candidate video";
  img.decoding = "async";
  const canvas = el("canvas", { id: "overlay-canvas", cls: "overlay-canvas" });
  canvas.setAttribute("aria-hidden", "true");
  const note = el("div", { cls: "stage-note", text: "Waiting for video…" });
  const stage = el("div", { cls: "stage" }, img, canvas, note);
  const root = el("div", { id, cls: "player" }, stage);

  let current: Overlay | undefined;
  let showLandmarks = false;
  let aspect = "";

  const paint = (o: Overlay): void => {
    const a = o.width > 0 && o.height > 0 ? `${o.width} / ${o.height}` : "";
    if (a !== aspect) {
      aspect = a;
      stage.style.aspectRatio = a;
    }
    drawOverlay(canvas, o, { landmarks: showLandmarks }, dpr());
  };

  const pump = new FramePump<Overlay>(
    imageLoader(img),
    (o, arrivedAt, paintedAt) => {
      current = o;
      note.hidden = true;
      img.hidden = false;
      paint(o);
      onPaint(o, arrivedAt, paintedAt);
    },
    deps,
  );

  let observer: ResizeObserver | null = null;
  if (typeof ResizeObserver === "function") {
    observer = new ResizeObserver(() => {
      if (current !== undefined) {
        paint(current);
      }
    });
    observer.observe(stage);
  }

  return {
    el: root,
    img,
    canvas,
    show: (o, arrivedAt) => pump.offer(o, arrivedAt),
    shown: () => current,
    landmarks: () => showLandmarks,
    setLandmarks(on) {
      showLandmarks = on;
      root.dataset.landmarks = on ? "on" : "off";
      if (current !== undefined) {
        paint(current);
      }
    },
    redraw() {
      if (current !== undefined) {
        paint(current);
      }
    },
    clear(message) {
      current = undefined;
      note.textContent = message;
      note.hidden = false;
      img.hidden = true;
      clearCanvas(canvas);
    },
    dispose() {
      pump.dispose();
      observer?.disconnect();
    },
  };
}
