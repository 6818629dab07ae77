// challengePanel.ts lets the interviewer start a liveness challenge and
// follows it: a countdown from challenge:update, then the result.

import { startChallenge } from "../api/challenges";
import { onChallengeUpdate } from "../api/events";
import type { Challenge, ChallengeKind, ChallengeUpdate } from "../api/types";
import { button, el } from "./dom";
import { showError } from "./errorBanner";
import { errorMessage, formatCountdown, formatScore } from "./format";

/** CHALLENGES lists the challenges with their buttons' labels and shortcut keys. */
export const CHALLENGES: ReadonlyArray<{ kind: ChallengeKind; label: string; key: string }> = [
  { kind: "hand", label: "Pass a hand slowly in front of your face", key: "1" },
  { kind: "turn", label: "Turn your head left and right", key: "2" },
  { kind: "id", label: "Hold your ID next to your face", key: "3" },
];

/** ChallengePanel is the panel element and its controls. */
export interface ChallengePanel {
  el: HTMLElement;
  start(kind: ChallengeKind): void;
  dispose(): void;
}

/** createChallengePanel builds the challenge panel of live session sessionId. */
export function createChallengePanel(sessionId: string, now: () => number = () => Date.now()): ChallengePanel {
  const status = el("div", { id: "challenge-status", cls: "challenge-status", text: "No challenge running." });
  status.setAttribute("aria-live", "polite");
  status.dataset.state = "idle";
  const buttons = new Map<ChallengeKind, HTMLButtonElement>();
  const row = el("div", { cls: "challenge-buttons" });
  for (const c of CHALLENGES) {
    const b = button(c.label, () => panel.start(c.kind), { id: `challenge-${c.kind}`, title: `Shortcut: ${c.key}` });
    buttons.set(c.kind, b);
    row.append(b);
  }
  const root = el("section", { id: "challenges", cls: "panel" }, el("h2", { text: "Challenges" }), row, status);

  let running: Challenge | null = null;
  let deadline = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let starting = false;

  const setBusy = (busy: boolean): void => {
    for (const b of buttons.values()) {
      b.disabled = busy;
    }
  };
  const stopTimer = (): void => {
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
  const renderCountdown = (): void => {
    if (running === null) {
      return;
    }
    const left = Math.max(0, deadline - now());
    status.replaceChildren(
      el("div", { cls: "challenge-title", text: running.title }),
      el("div", { cls: "muted", text: running.instructions }),
      el("div", { cls: "countdown", text: formatCountdown(left) }),
    );
    status.dataset.state = "running";
    status.dataset.remaining = String(Math.round(left));
  };
  const finish = (u: ChallengeUpdate): void => {
    stopTimer();
    const title = running?.title ?? u.kind;
    running = null;
    setBusy(false);
    status.dataset.state = u.passed ? "passed" : "failed";
    status.replaceChildren(
      el("div", { cls: "challenge-title", text: title }),
      el("div", {
        cls: u.passed ? "result passed" : "result failed",
        text: `${u.passed ? "Passed" : "Not passed"} (score ${formatScore(u.score)})`,
      }),
      ...(u.reasons.length > 0 ? [el("ul", { cls: "reasons" }, ...u.reasons.map((r) => el("li", { text: r })))] : []),
    );
  };

  const off = onChallengeUpdate((u) => {
    if (u.sessionId !== sessionId || running === null || u.id !== running.id) {
      return;
    }
    // Read the state as a string: a newer Unmask may report steps between
    // "running" and "done" (e.g. scoring), shown as a wait.
    const st: string = u.state;
    if (st === "done") {
      finish(u);
      return;
    }
    if (st !== "running") {
      stopTimer();
      status.dataset.state = st;
      status.replaceChildren(
        el("div", { cls: "challenge-title", text: running.title }),
        el("div", { cls: "muted", text: "Checking the result…" }),
      );
      return;
    }
    deadline = now() + Math.max(0, u.remainingMs);
    renderCountdown();
    if (timer === null) {
      timer = setInterval(renderCountdown, 250);
    }
  });

  const panel: ChallengePanel = {
    el: root,
    start(kind) {
      if (running !== null || starting) {
        return;
      }
      starting = true;
      setBusy(true);
      status.dataset.state = "starting";
      status.textContent = "Starting the challenge…";
      startChallenge(sessionId, kind)
        .then((c) => {
          running = c;
          deadline = now() + c.seconds * 1000;
          renderCountdown();
          stopTimer();
          timer = setInterval(renderCountdown, 250);
        })
        .catch((err: unknown) => {
          setBusy(false);
          status.dataset.state = "error";
          status.textContent = `Could not start the challenge: ${errorMessage(err)}`;
          showError(err, "Could not start the challenge");
        })
        .finally(() => {
          starting = false;
        });
    },
    dispose() {
      stopTimer();
      off();
    },
  };
  return panel;
}
