// wails.ts tells whether the page runs inside the Unmask window, where Wails
// injects window.go (bound methods) and window.runtime (events).

declare global {
  interface Window {
    go?: unknown;
    runtime?: unknown;
  }
}

/** NotInWindowError is thrown when the page runs in a plain browser. */
export class NotInWindowError extends Error {
  constructor() {
    super("not running inside the Unmask window (start it with `make run`)");
    this.name = "NotInWindowError";
  }
}

/** inWindow reports whether the Wails bindings are available. */
export function inWindow(): boolean {
  return window.go !== undefined && window.runtime !== undefined;
}

/** call runs a generated binding, rejecting with NotInWindowError outside Wails. */
export async function call<T>(binding: () => Promise<T>): Promise<T> {
  if (!inWindow()) {
    throw new NotInWindowError();
  }
  return binding();
}
