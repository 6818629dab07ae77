// openRecording.ts opens a recording and shows its review screen; the start
// screen and the end of a live session share it.

import { openRecording } from "../api/review";
import type { Session } from "../api/types";
import type { AppContext } from "../app/context";
import { rememberReview } from "../stores/recent";

/**
 * openAndReview opens path (a video file or a session folder) and, unless
 * stillWanted() has become false meanwhile, goes to its review screen. It
 * resolves once the review screen is shown; analysis goes on in the background.
 */
export async function openAndReview(ctx: AppContext, path: string, stillWanted: () => boolean = () => true): Promise<void> {
  const info = await openRecording(path);
  rememberReview(info);
  if (stillWanted()) {
    ctx.navigate({ screen: "review", id: info.id, params: { path } });
  }
}

/** reviewPath is what to open to review s: its folder, else a file session's source; "" if none. */
export function reviewPath(s: Session): string {
  if (s.folder !== "") {
    return s.folder;
  }
  return s.kind === "file" ? s.source : "";
}
