// recent.ts remembers, for this window only, the interviews created and the
// recordings opened, so the live and review screens can show their link and
// details. Tokens stay in memory and are never written to storage.

import type { Interview, ReviewInfo } from "../api/types";

const interviews = new Map<string, Interview>();
const reviews = new Map<string, ReviewInfo>();

/** rememberInterview keeps iv for the live screen. */
export function rememberInterview(iv: Interview): void {
  interviews.set(iv.id, iv);
}

/** interviewById returns a remembered interview. */
export function interviewById(id: string): Interview | undefined {
  return interviews.get(id);
}

/** rememberReview keeps info for the review screen. */
export function rememberReview(info: ReviewInfo): void {
  reviews.set(info.id, info);
}

/** reviewById returns a remembered recording. */
export function reviewById(id: string): ReviewInfo | undefined {
  return reviews.get(id);
}
