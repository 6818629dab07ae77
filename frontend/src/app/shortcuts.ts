// shortcuts.ts dispatches single-key shortcuts. Keys typed into a text
// field, a select or an editable element never trigger them, nor do keys
// pressed with Ctrl, Alt or Meta (those belong to the system).

/** Shortcut is one key binding. */
export interface Shortcut {
  /** key is KeyboardEvent.key, with " " written "Space"; letters are lower case. */
  key: string;
  /** description is shown in the help overlay. */
  description: string;
  run: () => void;
}

/** KeyLike is the part of a KeyboardEvent dispatch reads. */
export interface KeyLike {
  key: string;
  target: EventTarget | null;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  preventDefault(): void;
}

/** isTypingTarget reports whether keys sent to t are text being typed. */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (t === null || typeof t !== "object") {
    return false;
  }
  const el = t as { tagName?: unknown; isContentEditable?: unknown };
  if (el.isContentEditable === true) {
    return true;
  }
  const tag = typeof el.tagName === "string" ? el.tagName.toUpperCase() : "";
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/** normalizeKey turns KeyboardEvent.key into a Shortcut key. */
export function normalizeKey(key: string): string {
  if (key === " " || key === "Spacebar") {
    return "Space";
  }
  return key.length === 1 ? key.toLowerCase() : key;
}

/** keyLabel is how the help overlay writes a key. */
export function keyLabel(key: string): string {
  switch (key) {
    case "ArrowLeft":
      return "←";
    case "ArrowRight":
      return "→";
    case "Escape":
      return "Esc";
    default:
      return key.length === 1 ? key.toUpperCase() : key;
  }
}

/**
 * ShortcutRegistry holds the global bindings plus those the current screen
 * adds. A screen's binding takes precedence over a global one for the same key.
 */
export class ShortcutRegistry {
  private readonly layers: Shortcut[][] = [];

  /** add registers bindings and returns a function that removes them. */
  add(bindings: Shortcut[]): () => void {
    const layer = bindings.map((b) => ({ ...b, key: normalizeKey(b.key) }));
    this.layers.push(layer);
    return () => {
      const i = this.layers.indexOf(layer);
      if (i >= 0) {
        this.layers.splice(i, 1);
      }
    };
  }

  /** list returns the active bindings, one per key, for the help overlay. */
  list(): Shortcut[] {
    const seen = new Map<string, Shortcut>();
    for (let i = this.layers.length - 1; i >= 0; i--) {
      for (const b of this.layers[i] ?? []) {
        if (!seen.has(b.key)) {
          seen.set(b.key, b);
        }
      }
    }
    return [...seen.values()];
  }

  /** handle runs the binding of e's key, if any, and reports whether one ran. */
  handle(e: KeyLike): boolean {
    if (e.ctrlKey || e.altKey || e.metaKey || isTypingTarget(e.target)) {
      return false;
    }
    const key = normalizeKey(e.key);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const b = (this.layers[i] ?? []).find((x) => x.key === key);
      if (b !== undefined) {
        e.preventDefault();
        b.run();
        return true;
      }
    }
    return false;
  }
}
