// normalize.ts repairs what JSON loses on the way from Go: a nil slice
// arrives as null and a nil pointer as null or a missing key. Every payload
// passes through here so the rest of the frontend can trust types.ts.

import { list } from "./bridge";
import type {
  ChallengeUpdate,
  LiveState,
  Overlay,
  RiskWindow,
  SignalScore,
} from "./types";

/** normalizeOverlay returns o with its arrays and nullable fields filled in. */
export function normalizeOverlay(o: Overlay): Overlay {
  return {
    ...o,
    box: o.box ?? null,
    landmarks: list(o.landmarks),
    signals: list(o.signals).map(normalizeSignal),
    lipOffsetMs: o.lipOffsetMs ?? null,
  };
}

function normalizeSignal(s: SignalScore): SignalScore {
  return { ...s, region: s.region ?? null, reason: s.reason ?? "" };
}

/** normalizeWindow returns w with its reasons and scores filled in. */
export function normalizeWindow(w: RiskWindow): RiskWindow {
  return { ...w, reasons: list(w.reasons), scores: w.scores ?? ({} as RiskWindow["scores"]) };
}

/** normalizeLiveState returns s with its devices filled in. */
export function normalizeLiveState(s: LiveState): LiveState {
  return { ...s, devices: list(s.devices) };
}

/** normalizeChallengeUpdate returns u with its reasons filled in. */
export function normalizeChallengeUpdate(u: ChallengeUpdate): ChallengeUpdate {
  return { ...u, reasons: list(u.reasons) };
}
