// events.ts mirrors app/events.go: event names and payloads the Go services
// push to the window. Change both files together.

import { EventsOn } from "../../wailsjs/runtime/runtime";
import type { ModelStatus } from "./status";
import { inWindow } from "./wails";

/** EventModelStatus is emitted once the startup model check has finished. */
export const EventModelStatus = "status:models";

/** ModelStatusEvent is the payload of EventModelStatus. */
export interface ModelStatusEvent {
  models: ModelStatus[];
  missing: number;
}

/**
 * onModelStatus calls handler for every EventModelStatus and returns a
 * function that unsubscribes. Outside the window it does nothing.
 */
export function onModelStatus(handler: (e: ModelStatusEvent) => void): () => void {
  if (!inWindow()) {
    return () => {};
  }
  return EventsOn(EventModelStatus, (e: ModelStatusEvent) => handler(e));
}
