// events.ts mirrors app/events.go: event names and payloads the Go services
// push to the window. Change both files together. Every subscription
// returns a function that unsubscribes; outside the window it does nothing.

import { subscribe } from "./bridge";
import {
  normalizeChallengeUpdate,
  normalizeLiveState,
  normalizeOverlay,
  normalizeWindow,
} from "./normalize";
import type { ModelStatus } from "./status";
import type {
  ChallengeUpdate,
  LiveState,
  Overlay,
  ReviewProgress,
  ReviewWindowEvent,
} from "./types";

/** EventModelStatus is emitted once the startup model check has finished. */
export const EventModelStatus = "status:models";
/** EventLiveOverlay carries an Overlay of a live or camera session, about 10-15 times a second. */
export const EventLiveOverlay = "live:overlay";
/** EventLiveState carries a LiveState whenever a live session connects, ends or learns about the device. */
export const EventLiveState = "live:state";
/** EventReviewProgress carries a ReviewProgress while a recording is analysed. */
export const EventReviewProgress = "review:progress";
/** EventReviewWindow carries a ReviewWindowEvent for each newly fused window. */
export const EventReviewWindow = "review:window";
/** EventChallengeUpdate carries a ChallengeUpdate during and at the end of a challenge. */
export const EventChallengeUpdate = "challenge:update";

/** ModelStatusEvent is the payload of EventModelStatus. */
export interface ModelStatusEvent {
  models: ModelStatus[];
  missing: number;
}

/** onModelStatus calls handler for every EventModelStatus. */
export function onModelStatus(handler: (e: ModelStatusEvent) => void): () => void {
  return subscribe<ModelStatusEvent>(EventModelStatus, (e) =>
    handler({ ...e, models: Array.isArray(e.models) ? e.models : [] }),
  );
}

/** onLiveOverlay calls handler for every overlay of every live and camera session. */
export function onLiveOverlay(handler: (o: Overlay) => void): () => void {
  return subscribe<Overlay>(EventLiveOverlay, (o) => handler(normalizeOverlay(o)));
}

/** onLiveState calls handler for every live session state change. */
export function onLiveState(handler: (s: LiveState) => void): () => void {
  return subscribe<LiveState>(EventLiveState, (s) => handler(normalizeLiveState(s)));
}

/** onReviewProgress calls handler for every analysis progress report. */
export function onReviewProgress(handler: (p: ReviewProgress) => void): () => void {
  return subscribe<ReviewProgress>(EventReviewProgress, handler);
}

/** onReviewWindow calls handler for every newly fused window of a recording. */
export function onReviewWindow(handler: (e: ReviewWindowEvent) => void): () => void {
  return subscribe<ReviewWindowEvent>(EventReviewWindow, (e) =>
    handler({ id: e.id, window: normalizeWindow(e.window) }),
  );
}

/** onChallengeUpdate calls handler for every challenge countdown step and result. */
export function onChallengeUpdate(handler: (u: ChallengeUpdate) => void): () => void {
  return subscribe<ChallengeUpdate>(EventChallengeUpdate, (u) => handler(normalizeChallengeUpdate(u)));
}
