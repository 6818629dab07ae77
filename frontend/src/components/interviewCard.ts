// interviewCard.ts shows how a candidate joins a live interview: the link
// to send (#candidate-link, with a Copy button), and for streaming tools the
// WHIP URL and its token, hidden until asked for.

import type { Interview } from "../api/types";
import { button, el } from "./dom";
import { formatDate, isZeroTime } from "./format";

/** interviewDetails shows how the candidate joins: link, WHIP URL and token. */
export function interviewDetails(iv: Interview): HTMLElement[] {
  const link = el("code", { id: "candidate-link", cls: "selectable", text: iv.candidateURL });
  const copied = el("span", { cls: "muted", text: "" });
  const copy = button("Copy", () => {
    copyText(iv.candidateURL).then(
      () => {
        copied.textContent = "Copied.";
      },
      () => {
        // Without clipboard access, select the link so Ctrl+C copies it.
        window.getSelection()?.selectAllChildren(link);
        copied.textContent = "Press Ctrl+C (⌘C) to copy the selected link.";
      },
    );
  }, { id: "copy-candidate-link" });
  const token = el("code", { id: "whip-token", cls: "selectable", text: "••••••••" });
  token.dataset.shown = "false";
  const show = button("Show", () => {
    const shown = token.dataset.shown === "true";
    token.textContent = shown ? "••••••••" : iv.token;
    token.dataset.shown = String(!shown);
    show.textContent = shown ? "Show" : "Hide";
  }, { id: "show-token" });
  const expires = isZeroTime(iv.expiresAt) ? "" : `The link works until ${formatDate(iv.expiresAt)}.`;
  return [
    el("div", { cls: "field" }, el("div", { cls: "label", text: "Send this link to the candidate" }), el("div", { cls: "row" }, link, copy, copied)),
    el("p", { cls: "muted small", text: expires }),
    el("details", {},
      el("summary", { text: "For a streaming tool (WHIP)" }),
      el("div", { cls: "field" }, el("div", { cls: "label", text: "WHIP URL" }), el("code", { id: "whip-url", cls: "selectable", text: iv.whipURL })),
      el("div", { cls: "field" }, el("div", { cls: "label", text: "Token" }), el("div", { cls: "row" }, token, show)),
    ),
  ];
}

function copyText(text: string): Promise<void> {
  if (navigator.clipboard !== undefined && typeof navigator.clipboard.writeText === "function") {
    return navigator.clipboard.writeText(text);
  }
  return Promise.reject(new Error("clipboard unavailable"));
}
