// levelBadge.ts renders a risk level as a coloured badge.

import type { Level } from "../api/types";
import { levelLabel } from "../overlay/colors";
import { el } from "./dom";

/** levelBadge returns a badge for level; "" shows "Not rated". */
export function levelBadge(level: Level | ""): HTMLSpanElement {
  const b = el("span", { cls: `badge level-${level === "" ? "none" : level}`, text: levelLabel(level) });
  b.dataset.level = level;
  return b;
}
