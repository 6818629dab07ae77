// startView.ts is the start screen: create a live interview, open a
// recording, go to a local camera, reopen a past session, and check the
// models.

import { pickFile, pickFolder } from "../api/review";
import { deleteSession, listSessions, newInterview } from "../api/sessions";
import type { Session } from "../api/types";
import type { AppContext, Unmount } from "../app/context";
import type { Route } from "../app/router";
import { button, el, panel } from "../components/dom";
import { showError } from "../components/errorBanner";
import { errorMessage, formatDate, formatScore, isZeroTime } from "../components/format";
import { interviewDetails } from "../components/interviewCard";
import { levelBadge } from "../components/levelBadge";
import { rememberInterview } from "../stores/recent";
import { openAndReview, reviewPath } from "./openRecording";
import { mountStatusView } from "./statusView";

/** mountStartView builds the start screen. */
export function mountStartView(root: HTMLElement, _route: Route, ctx: AppContext): Unmount {
  let alive = true;
  const opener = recordingOpener(ctx, () => alive);

  const interview = interviewPanel(ctx);
  const open = openPanel(opener);
  const camera = panel(
    "Local camera",
    {},
    el("p", { cls: "muted", text: "Analyse a camera connected to this computer, for example to test your setup." }),
    linkTo("#/cameras", "Choose a camera", "start-cameras"),
  );
  const sessions = sessionsPanel(ctx, opener, () => alive);
  const models = el("div");

  root.append(
    el("h1", { text: "Start" }),
    el("div", { cls: "start-grid" }, interview, open, camera),
    sessions,
    models,
  );
  const offModels = mountStatusView(models);

  return () => {
    alive = false;
    offModels();
  };
}

type Opener = { open(path: string, status: HTMLElement, busy: HTMLButtonElement[]): void };

/** recordingOpener opens a recording and goes to its review screen. */
function recordingOpener(ctx: AppContext, alive: () => boolean): Opener {
  return {
    open(path, status, busy) {
      const p = path.trim();
      if (p === "") {
        status.textContent = "Enter the path of a video file or a session folder.";
        return;
      }
      status.textContent = "Opening…";
      for (const b of busy) {
        b.disabled = true;
      }
      openAndReview(ctx, p, alive)
        .catch((err: unknown) => {
          status.textContent = `Could not open it: ${errorMessage(err)}`;
          showError(err, "Could not open the recording");
        })
        .finally(() => {
          for (const b of busy) {
            b.disabled = false;
          }
        });
    },
  };
}

function interviewPanel(ctx: AppContext): HTMLElement {
  const title = el("input", { id: "interview-title" });
  title.type = "text";
  title.placeholder = "e.g. Backend engineer — J. Doe";
  title.setAttribute("aria-label", "Interview title");
  const result = el("div", { id: "interview-result", cls: "interview-result" });
  result.hidden = true;
  const create = button("Create interview", () => {
    create.disabled = true;
    newInterview(title.value.trim())
      .then((iv) => {
        rememberInterview(iv);
        result.replaceChildren(
          ...interviewDetails(iv),
          button("Go to the live screen", () => ctx.navigate({ screen: "live", id: iv.id }), { id: "go-live", cls: "primary" }),
        );
        result.hidden = false;
      })
      .catch((err: unknown) => showError(err, "Could not create the interview"))
      .finally(() => {
        create.disabled = false;
      });
  }, { id: "new-interview", cls: "primary" });
  title.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      create.click();
    }
  });
  return panel(
    "New live interview",
    { id: "new-interview-panel" },
    el("p", { cls: "muted", text: "The candidate opens a link in their browser; you watch their video with the analysis." }),
    el("div", { cls: "row" }, title, create),
    result,
  );
}

function openPanel(opener: Opener): HTMLElement {
  const status = el("p", { id: "open-status", cls: "muted", text: "" });
  status.setAttribute("aria-live", "polite");
  const path = el("input", { id: "open-path" });
  path.type = "text";
  path.placeholder = "/path/to/recording.mp4 or a session folder";
  path.setAttribute("aria-label", "Path of a recording");
  const buttons: HTMLButtonElement[] = [];
  const go = button("Open", () => opener.open(path.value, status, buttons), { id: "open-path-go", cls: "primary" });
  const pick = (chooser: () => Promise<string>) => () => {
    chooser()
      .then((p) => {
        if (p !== "") {
          path.value = p;
          opener.open(p, status, buttons);
        }
      })
      .catch((err: unknown) => showError(err, "Could not show the file dialog"));
  };
  const file = button("Choose a video file…", pick(pickFile), { id: "pick-file" });
  const folder = button("Choose a session folder…", pick(pickFolder), { id: "pick-folder" });
  buttons.push(go, file, folder);
  path.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      go.click();
    }
  });
  return panel(
    "Open a recording",
    { id: "open-panel" },
    el("p", { cls: "muted", text: "Analyse a video file, or replay a recorded session folder." }),
    el("div", { cls: "row" }, file, folder),
    el("div", { cls: "row" }, path, go),
    status,
  );
}

function sessionsPanel(ctx: AppContext, opener: Opener, alive: () => boolean): HTMLElement {
  const status = el("p", { cls: "muted", text: "Loading sessions…" });
  const body = el("tbody");
  const table = el(
    "table",
    { cls: "sessions" },
    el("thead", {}, el("tr", {}, ...["Title", "Kind", "Started", "Level", "Risk", ""].map((h) => el("th", { text: h })))),
    body,
  );
  const wrap = el("div", { id: "session-list" }, status, table);
  table.hidden = true;

  const row = (s: Session): HTMLTableRowElement => {
    const running = isZeroTime(s.endedAt) && s.kind !== "file";
    const actions = el("td", { cls: "actions" });
    const rowStatus = el("span", { cls: "muted small" });
    const tr = el(
      "tr",
      {},
      el("td", {}, el("div", { text: s.title === "" ? "(untitled)" : s.title }), el("div", { cls: "muted small path", text: s.source })),
      el("td", { text: running ? `${s.kind} · running` : s.kind }),
      el("td", { cls: "nowrap", text: formatDate(s.startedAt) }),
      el("td", {}, levelBadge(s.level)),
      el("td", { cls: "mono", text: s.level === "" ? "—" : formatScore(s.risk) }),
      actions,
    );
    tr.dataset.sessionId = s.id;
    if (running) {
      actions.append(
        button("Watch live", () => ctx.navigate({ screen: "live", id: s.id, params: s.kind === "camera" ? { kind: "camera" } : {} })),
      );
    } else {
      const p = reviewPath(s);
      const review = button("Review", () => opener.open(p, rowStatus, [review]));
      review.disabled = p === "";
      if (p === "") {
        review.title = "This session has no recording to review.";
      }
      actions.append(review);
    }
    const del = button("Delete", () => {
      if (del.dataset.confirm !== "true") {
        del.dataset.confirm = "true";
        del.textContent = "Delete for good?";
        setTimeout(() => {
          del.dataset.confirm = "false";
          del.textContent = "Delete";
        }, 4000);
        return;
      }
      del.disabled = true;
      deleteSession(s.id)
        .then(() => tr.remove())
        .catch((err: unknown) => {
          del.disabled = false;
          showError(err, "Could not delete the session");
        });
    }, { cls: "ghost danger" });
    actions.append(del, rowStatus);
    return tr;
  };

  listSessions()
    .then((list) => {
      if (!alive()) {
        return;
      }
      body.replaceChildren(...list.map(row));
      table.hidden = list.length === 0;
      status.textContent = list.length === 0 ? "No sessions yet." : "";
      status.hidden = list.length > 0;
    })
    .catch((err: unknown) => {
      status.textContent = `Could not list the sessions: ${errorMessage(err)}`;
    });

  return panel("Past sessions", { id: "sessions-panel" }, wrap);
}

function linkTo(href: string, text: string, id: string): HTMLAnchorElement {
  const a = el("a", { id, cls: "button-link", text });
  a.href = href;
  return a;
}
