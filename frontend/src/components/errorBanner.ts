// errorBanner.ts shows errors inline at the top of the window. There is one
// banner (#error-banner); showError replaces its message, the close button
// or the next screen change clears it.

import { NotInWindowError } from "../api/wails";
import { button, el } from "./dom";
import { errorMessage } from "./format";

/** ErrorBanner is the banner element and its controls. */
export interface ErrorBanner {
  el: HTMLElement;
  show(err: unknown, context?: string): void;
  clear(): void;
}

let active: ErrorBanner | null = null;

/** createErrorBanner builds the banner and makes it the one showError uses. */
export function createErrorBanner(): ErrorBanner {
  const text = el("span", { cls: "error-text" });
  const root = el("div", { id: "error-banner", cls: "error-banner" });
  root.setAttribute("role", "alert");
  root.hidden = true;
  const close = button("Dismiss", () => banner.clear(), { cls: "link" });
  root.append(text, close);
  const banner: ErrorBanner = {
    el: root,
    show(err, context) {
      const msg = errorMessage(err);
      text.textContent = context === undefined || err instanceof NotInWindowError ? msg : `${context}: ${msg}`;
      root.hidden = false;
    },
    clear() {
      text.textContent = "";
      root.hidden = true;
    },
  };
  active = banner;
  return banner;
}

/** showError shows err in the banner, prefixed with what was being done. */
export function showError(err: unknown, context?: string): void {
  if (active === null) {
    console.error(context, err);
    return;
  }
  active.show(err, context);
}

/** clearError hides the banner. */
export function clearError(): void {
  active?.clear();
}
