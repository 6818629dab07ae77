// challenges.ts wraps app.ChallengeService: liveness challenges the
// interviewer asks the candidate to perform.

import { invoke } from "./bridge";
import type { Challenge, ChallengeKind } from "./types";

/**
 * startChallenge starts a challenge in live session sessionId; its
 * countdown and result arrive as challenge:update events.
 */
export function startChallenge(sessionId: string, kind: ChallengeKind): Promise<Challenge> {
  return invoke<Challenge>("ChallengeService", "Start", sessionId, kind);
}
