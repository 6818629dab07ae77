// statusView.ts shows the Unmask version and the model status table; the
// start screen mounts it at its bottom.

import { onModelStatus } from "../api/events";
import { getModelStatus, getVersion, type ModelStatus } from "../api/status";
import { el } from "../components/dom";
import { errorMessage } from "../components/format";
import { renderModelTable, summarize } from "../components/modelTable";

/** mountStatusView renders the model status into root and returns a function that stops updating it. */
export function mountStatusView(root: HTMLElement): () => void {
  root.replaceChildren();

  const version = el("span", { cls: "version", text: "…" });
  const heading = el("h2", { text: "Models" }, version);
  const summary = el("p", { cls: "summary", text: "Checking model files…" });
  const tableSlot = el("div");
  const section = el("section", { id: "model-status", cls: "panel" }, heading, summary, tableSlot);
  root.append(section);

  const show = (statuses: ModelStatus[]): void => {
    summary.textContent = summarize(statuses);
    summary.className = statuses.every((s) => s.ok) ? "summary ok" : "summary bad";
    tableSlot.replaceChildren(renderModelTable(statuses));
  };
  const fail = (err: unknown): void => {
    summary.textContent = `Cannot read the model status: ${errorMessage(err)}`;
    summary.className = "summary error";
  };

  getVersion()
    .then((v) => {
      version.textContent = `Unmask v${v}`;
    })
    .catch((err: unknown) => {
      version.textContent = "";
      fail(err);
    });
  // The startup check may finish before or after this subscription; the
  // explicit call covers the first case, the event any later re-check.
  const off = onModelStatus((e) => show(e.models));
  getModelStatus().then(show).catch(fail);
  return off;
}
