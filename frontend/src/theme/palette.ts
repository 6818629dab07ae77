// palette.ts holds every colour of the interface, for both themes, in one
// place. theme.ts copies the active palette into CSS custom properties
// (--bg, --accent-text, …) and the canvas drawings read it directly.
// TEXT_PAIRS lists each foreground/background combination used for text;
// palette.test.ts checks that all of them meet WCAG AA (4.5:1).

/** ThemeName is one of the two colour themes. */
export type ThemeName = "light" | "dark";

/** Palette is the set of colours of one theme. */
export interface Palette {
  /** Page background. */
  bg: string;
  /** Panels, tables and inputs. */
  panel: string;
  /** Borders and grid lines (not text). */
  line: string;
  /** Body text. */
  text: string;
  /** Secondary text: labels, details, hints. */
  muted: string;
  /** Links, active tab, primary buttons. */
  accent: string;
  /** Text on an accent-filled button. */
  accentText: string;
  /** Low risk, also "OK". */
  low: string;
  /** Medium risk, also warnings. */
  medium: string;
  /** High risk, also failures. */
  high: string;
  /** Text on a badge filled with low, medium or high. */
  badgeText: string;
  /** Error banner. */
  errorBg: string;
  errorText: string;
  /** Warning box (suspected virtual camera, LAN exposure). */
  warnBg: string;
  warnText: string;
}

/** PALETTES maps each theme to its colours. */
export const PALETTES: Record<ThemeName, Palette> = {
  dark: {
    bg: "#111827",
    panel: "#1f2937",
    line: "#374151",
    text: "#f3f4f6",
    muted: "#a1a9b6",
    accent: "#60a5fa",
    accentText: "#0b1220",
    low: "#34d399",
    medium: "#fbbf24",
    high: "#f87171",
    badgeText: "#0b1220",
    errorBg: "#7f1d1d",
    errorText: "#fef2f2",
    warnBg: "#713f12",
    warnText: "#fefce8",
  },
  light: {
    bg: "#f6f7f9",
    panel: "#ffffff",
    line: "#d1d5db",
    text: "#111827",
    muted: "#4b5563",
    accent: "#1d4ed8",
    accentText: "#ffffff",
    low: "#047857",
    medium: "#a14a06",
    high: "#b91c1c",
    badgeText: "#ffffff",
    errorBg: "#fee2e2",
    errorText: "#7f1d1d",
    warnBg: "#fef3c7",
    warnText: "#713f12",
  },
};

/**
 * VIDEO_COLORS are drawn over the candidate's video, which looks the same in
 * both themes: bright strokes, labels as light text on a dark plate.
 */
export const VIDEO_COLORS = {
  low: "#34d399",
  medium: "#fbbf24",
  high: "#f87171",
  landmark: "#e0f2fe",
  region: "#c4b5fd",
  labelText: "#ffffff",
  labelBg: "rgba(0, 0, 0, 0.72)",
  /** labelBg flattened onto the brightest possible video pixel, for the contrast test. */
  labelBgWorst: "#474747",
} as const;

/** SIGNAL_COLORS gives each signal's line in the plots, readable on both panels. */
export const SIGNAL_COLORS = {
  temporal: "#8b5cf6",
  occlusion: "#0ea5e9",
  lighting: "#eab308",
  lipsync: "#ec4899",
  boundary: "#f97316",
  virtual_camera: "#14b8a6",
  blink: "#84cc16",
} as const;

/** TEXT_PAIRS lists every [text, background] pair of palette keys used for text. */
export const TEXT_PAIRS: ReadonlyArray<readonly [keyof Palette, keyof Palette]> = [
  ["text", "bg"],
  ["text", "panel"],
  ["text", "line"],
  ["muted", "bg"],
  ["muted", "panel"],
  ["accent", "bg"],
  ["accent", "panel"],
  ["accentText", "accent"],
  ["low", "bg"],
  ["low", "panel"],
  ["medium", "bg"],
  ["medium", "panel"],
  ["high", "bg"],
  ["high", "panel"],
  ["badgeText", "low"],
  ["badgeText", "medium"],
  ["badgeText", "high"],
  ["errorText", "errorBg"],
  ["warnText", "warnBg"],
];
