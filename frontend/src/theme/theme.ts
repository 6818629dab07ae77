// theme.ts chooses and applies the colour theme: the user's saved choice,
// else the system preference.

import { PALETTES, type Palette, type ThemeName } from "./palette";

/** THEME_KEY is the localStorage key of the saved theme. */
export const THEME_KEY = "unmask.theme";

let current: ThemeName = "dark";
const listeners = new Set<(t: ThemeName) => void>();

/** cssVar turns a palette key into its custom property name: accentText → --accent-text. */
export function cssVar(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** initialTheme is the saved theme, else the one the system prefers. */
export function initialTheme(
  storage: Pick<Storage, "getItem"> | undefined,
  prefersDark: boolean,
): ThemeName {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(THEME_KEY) ?? null;
  } catch {
    saved = null;
  }
  if (saved === "light" || saved === "dark") {
    return saved;
  }
  return prefersDark ? "dark" : "light";
}

/** applyTheme makes t the active theme on the document. */
export function applyTheme(t: ThemeName): void {
  current = t;
  const root = document.documentElement;
  const p = PALETTES[t];
  for (const [k, v] of Object.entries(p)) {
    root.style.setProperty(cssVar(k), v);
  }
  root.style.colorScheme = t;
  root.dataset.theme = t;
  for (const l of listeners) {
    l(t);
  }
}

/** setupTheme applies the initial theme. */
export function setupTheme(): ThemeName {
  const prefersDark =
    typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches;
  applyTheme(initialTheme(safeStorage(), prefersDark));
  return current;
}

/** toggleTheme switches theme and saves the choice. */
export function toggleTheme(): ThemeName {
  const next: ThemeName = current === "dark" ? "light" : "dark";
  applyTheme(next);
  try {
    safeStorage()?.setItem(THEME_KEY, next);
  } catch {
    // Storage may be disabled; the choice then lasts for this window only.
  }
  return next;
}

/** currentTheme is the active theme's name. */
export function currentTheme(): ThemeName {
  return current;
}

/** palette is the active theme's colours, for canvas drawing. */
export function palette(): Palette {
  return PALETTES[current];
}

/** onThemeChange calls l after every theme change and returns a function that stops it. */
export function onThemeChange(l: (t: ThemeName) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
