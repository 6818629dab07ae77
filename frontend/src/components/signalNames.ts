// signalNames.ts gives each signal the name interviewers read.

import type { SignalName } from "../api/types";

const labels: Record<SignalName, string> = {
  temporal: "Temporal consistency",
  occlusion: "Occlusion",
  lighting: "Lighting",
  lipsync: "Lip sync",
  boundary: "Face boundary",
  virtual_camera: "Virtual camera",
  blink: "Blinking",
};

/** signalLabel is the display name of signal n; unknown names are shown as sent. */
export function signalLabel(n: string): string {
  return (labels as Record<string, string | undefined>)[n] ?? n;
}
