// review.ts wraps app.ReviewService: opening a recording, reading its
// per-frame analysis and fused windows, and writing reports.

import { invoke, list } from "./bridge";
import { normalizeOverlay, normalizeWindow } from "./normalize";
import type { ExportKind, Overlay, ReviewInfo, RiskWindow } from "./types";

const S = "ReviewService";

/** pickFile shows the native file dialog; it resolves to "" when cancelled. */
export function pickFile(): Promise<string> {
  return invoke<string>(S, "PickFile");
}

/** pickFolder shows the native folder dialog; it resolves to "" when cancelled. */
export function pickFolder(): Promise<string> {
  return invoke<string>(S, "PickFolder");
}

/**
 * pendingRecording resolves to the recording the app was started with
 * (`unmask-desktop --open FILE`), once, or null.
 */
export function pendingRecording(): Promise<ReviewInfo | null> {
  return invoke<ReviewInfo | null>(S, "Pending");
}

/**
 * openRecording opens a video file or a recorded session folder. Analysis
 * continues in the background and reports through review:progress.
 */
export function openRecording(path: string): Promise<ReviewInfo> {
  return invoke<ReviewInfo>(S, "Open", path);
}

/**
 * fetchOverlays resolves to the analysed frames [fromFrame, fromFrame+count)
 * of recording id. Frames not analysed yet are absent, so the result may be
 * shorter than count.
 */
export async function fetchOverlays(id: string, fromFrame: number, count: number): Promise<Overlay[]> {
  return list(await invoke<Overlay[] | null>(S, "Overlays", id, fromFrame, count)).map(normalizeOverlay);
}

/** fetchWindows resolves to the fused risk windows computed so far. */
export async function fetchWindows(id: string): Promise<RiskWindow[]> {
  return list(await invoke<RiskWindow[] | null>(S, "Windows", id)).map(normalizeWindow);
}

/** exportReport writes a report of the given kind and resolves to its path. */
export function exportReport(id: string, kind: ExportKind): Promise<string> {
  return invoke<string>(S, "Export", id, kind);
}

/** closeRecording stops the analysis of recording id and frees it. */
export function closeRecording(id: string): Promise<void> {
  return invoke<void>(S, "Close", id);
}

/**
 * reviewFrameURL is the address of frame index of recording id, the same
 * address Overlays puts in frameURL. It lets the evidence strip show a
 * window's frame without fetching its overlay first.
 */
export function reviewFrameURL(id: string, index: number): string {
  return `/frames/review/${encodeURIComponent(id)}/${Math.max(0, Math.floor(index))}.jpg`;
}
