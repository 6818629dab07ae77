// cameras.ts wraps app.CameraService: local video devices analysed live.

import { invoke, list } from "./bridge";
import type { Camera } from "./types";

const S = "CameraService";

/** listCameras resolves to the local video devices. */
export async function listCameras(): Promise<Camera[]> {
  return list(await invoke<Camera[] | null>(S, "List"));
}

/**
 * startCamera starts analysing device and resolves to the session id; its
 * overlays arrive as live:overlay events with source "camera".
 */
export function startCamera(device: string): Promise<string> {
  return invoke<string>(S, "Start", device);
}

/** stopCamera stops the camera session id. */
export function stopCamera(id: string): Promise<void> {
  return invoke<void>(S, "Stop", id);
}
