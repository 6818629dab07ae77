// statusView.ts is the start screen: product name, version and the model
// status table.

import { onModelStatus } from "../api/events";
import { getModelStatus, getVersion, type ModelStatus } from "../api/status";
import { renderModelTable, summarize } from "../components/modelTable";

/** mountStatusView renders the status screen into root and fills it in. */
export function mountStatusView(root: HTMLElement): void {
  root.replaceChildren();

  const header = document.createElement("header");
  const title = document.createElement("h1");
  title.textContent = "Unmask";
  const version = document.createElement("span");
  version.className = "version";
  version.textContent = "…";
  title.appendChild(version);
  const tagline = document.createElement("p");
  tagline.className = "tagline";
  tagline.textContent = "Deepfake detection for video interviews";
  header.append(title, tagline);

  const section = document.createElement("section");
  const heading = document.createElement("h2");
  heading.textContent = "Models";
  const summary = document.createElement("p");
  summary.className = "summary";
  summary.textContent = "Checking model files…";
  const tableSlot = document.createElement("div");
  section.append(heading, summary, tableSlot);

  root.append(header, section);

  const show = (statuses: ModelStatus[]): void => {
    summary.textContent = summarize(statuses);
    summary.className = statuses.every((s) => s.ok) ? "summary ok" : "summary bad";
    tableSlot.replaceChildren(renderModelTable(statuses));
  };
  const fail = (err: unknown): void => {
    summary.textContent = `Cannot read the model status: ${message(err)}`;
    summary.className = "summary error";
  };

  getVersion()
    .then((v) => {
      version.textContent = `v${v}`;
    })
    .catch((err: unknown) => {
      version.textContent = "";
      fail(err);
    });
  // The startup check may finish before or after this subscription; the
  // explicit call covers the first case, the event any later re-check.
  onModelStatus((e) => show(e.models));
  getModelStatus().then(show).catch(fail);
}

function message(err: unknown): string {
  if (err instanceof Error) {
    return err.message;
  }
  return String(err);
}
