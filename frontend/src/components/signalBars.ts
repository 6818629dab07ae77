// signalBars.ts shows one bar per signal with its score and one-line
// reason. Each row of #signal-bars carries data-signal and data-score.

import { SIGNALS, type SignalName } from "../api/types";
import { clamp01, levelForScore } from "../overlay/colors";
import { SIGNAL_COLORS } from "../theme/palette";
import { el } from "./dom";
import { formatScore } from "./format";
import { signalLabel } from "./signalNames";

/** BarValue is what one bar shows. */
export interface BarValue {
  name: SignalName;
  score: number;
  reason: string;
}

/** SignalBars is the bar list and its update function. */
export interface SignalBars {
  el: HTMLElement;
  update(values: readonly BarValue[]): void;
}

interface Row {
  row: HTMLElement;
  fill: HTMLElement;
  value: HTMLElement;
  reason: HTMLElement;
}

/** createSignalBars builds the seven bars, empty. */
export function createSignalBars(): SignalBars {
  const root = el("div", { id: "signal-bars", cls: "signal-bars" });
  const rows = new Map<SignalName, Row>();
  for (const name of SIGNALS) {
    const swatch = el("span", { cls: "swatch" });
    swatch.style.background = SIGNAL_COLORS[name];
    const fill = el("div", { cls: "bar-fill" });
    const value = el("span", { cls: "bar-value", text: "—" });
    const reason = el("div", { cls: "bar-reason", text: "" });
    const row = el(
      "div",
      { cls: "signal-row" },
      el("div", { cls: "bar-head" }, swatch, el("span", { cls: "bar-name", text: signalLabel(name) }), value),
      el("div", { cls: "bar-track" }, fill),
      reason,
    );
    row.dataset.signal = name;
    row.dataset.score = "";
    rows.set(name, { row, fill, value, reason });
    root.append(row);
  }
  return {
    el: root,
    update(values) {
      for (const v of values) {
        const r = rows.get(v.name);
        if (r === undefined) {
          continue;
        }
        const s = clamp01(v.score);
        const lvl = levelForScore(s);
        r.row.dataset.score = s.toFixed(2);
        r.row.dataset.level = lvl;
        r.value.textContent = formatScore(s);
        r.fill.style.width = `${(s * 100).toFixed(1)}%`;
        r.fill.className = `bar-fill level-fill-${lvl}`;
        r.reason.textContent = v.reason;
        r.reason.title = v.reason;
      }
    },
  };
}
