// markForm.ts lets the interviewer mark the current moment of a live
// session with a note (#mark-note, #mark-save) and lists the marks so far.

import { addMark, listMarks } from "../api/sessions";
import type { Mark } from "../api/types";
import { button, el } from "./dom";
import { showError } from "./errorBanner";
import { errorMessage, formatClock } from "./format";

/** MarkForm is the panel element and its controls. */
export interface MarkForm {
  el: HTMLElement;
  focus(): void;
}

/** createMarkForm builds the mark panel of session sessionId. */
export function createMarkForm(sessionId: string): MarkForm {
  const note = el("input", { id: "mark-note" });
  note.type = "text";
  note.placeholder = "What happened? (optional)";
  note.setAttribute("aria-label", "Note for this moment");
  const listEl = el("ul", { id: "mark-list", cls: "marks" });
  const save = button("Mark this moment", () => submit(), { id: "mark-save", title: "Shortcut: M focuses the note" });
  const root = el(
    "section",
    { id: "marks", cls: "panel" },
    el("h2", { text: "Marks" }),
    el("div", { cls: "row" }, note, save),
    listEl,
  );

  const render = (m: Mark): HTMLElement => {
    const li = el("li", {}, el("span", { cls: "mono", text: formatClock(m.atMs) }), document.createTextNode(` ${m.note === "" ? "(no note)" : m.note}`));
    li.dataset.markId = String(m.id);
    return li;
  };

  const submit = (): void => {
    const text = note.value.trim();
    save.disabled = true;
    addMark(sessionId, text)
      .then((m) => {
        note.value = "";
        listEl.prepend(render(m));
      })
      .catch((err: unknown) => showError(err, "Could not mark this moment"))
      .finally(() => {
        save.disabled = false;
      });
  };
  note.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape") {
      note.blur();
    }
  });

  listMarks(sessionId)
    .then((marks) => {
      listEl.replaceChildren(...[...marks].sort((a, b) => b.atMs - a.atMs).map(render));
    })
    .catch((err: unknown) => {
      listEl.replaceChildren(el("li", { cls: "muted", text: `Earlier marks could not be loaded: ${errorMessage(err)}` }));
    });

  return { el: root, focus: () => note.focus() };
}
