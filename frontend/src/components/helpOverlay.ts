// helpOverlay.ts lists the keyboard shortcuts active on the current screen.

import { keyLabel, type Shortcut } from "../app/shortcuts";
import { button, el } from "./dom";

/** HelpOverlay is the overlay element and its controls. */
export interface HelpOverlay {
  el: HTMLElement;
  open(shortcuts: readonly Shortcut[]): void;
  close(): void;
  isOpen(): boolean;
}

/** createHelpOverlay builds the hidden overlay. */
export function createHelpOverlay(): HelpOverlay {
  const table = el("table", { cls: "shortcuts" });
  const closeBtn = button("Close", () => overlay.close());
  const dialog = el(
    "div",
    { cls: "help-dialog" },
    el("h2", { text: "Keyboard shortcuts" }),
    el("p", { cls: "muted", text: "Shortcuts do nothing while you type in a field." }),
    table,
    closeBtn,
  );
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-label", "Keyboard shortcuts");
  const root = el("div", { id: "help-overlay", cls: "help-overlay" }, dialog);
  root.hidden = true;
  root.addEventListener("click", (e) => {
    if (e.target === root) {
      overlay.close();
    }
  });
  const overlay: HelpOverlay = {
    el: root,
    open(shortcuts) {
      table.replaceChildren(
        ...shortcuts.map((s) => el("tr", {}, el("td", {}, el("kbd", { text: keyLabel(s.key) })), el("td", { text: s.description }))),
      );
      root.hidden = false;
      closeBtn.focus();
    },
    close() {
      root.hidden = true;
    },
    isOpen: () => !root.hidden,
  };
  return overlay;
}
