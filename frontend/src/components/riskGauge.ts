// riskGauge.ts shows the current overall risk: the number, its level and a
// bar. #risk-gauge carries data-risk and data-level for tests.

import type { Level } from "../api/types";
import { clamp01, levelLabel } from "../overlay/colors";
import { el } from "./dom";
import { formatScore } from "./format";

/** RiskGauge is the gauge element and its update function. */
export interface RiskGauge {
  el: HTMLElement;
  update(risk: number, level: Level | ""): void;
}

/** createRiskGauge builds an empty gauge. */
export function createRiskGauge(): RiskGauge {
  const value = el("span", { cls: "gauge-value", text: "—" });
  const level = el("span", { cls: "gauge-level", text: "Waiting for video" });
  const fill = el("div", { cls: "gauge-fill" });
  const track = el("div", { cls: "gauge-track" }, fill);
  track.setAttribute("role", "meter");
  track.setAttribute("aria-valuemin", "0");
  track.setAttribute("aria-valuemax", "1");
  track.setAttribute("aria-label", "Risk");
  const root = el("div", { id: "risk-gauge", cls: "risk-gauge" }, el("div", { cls: "gauge-head" }, value, level), track);
  root.dataset.level = "";
  root.dataset.risk = "";
  return {
    el: root,
    update(risk, lvl) {
      const r = clamp01(risk);
      root.dataset.risk = r.toFixed(2);
      root.dataset.level = lvl;
      value.textContent = formatScore(r);
      level.textContent = levelLabel(lvl);
      level.className = `gauge-level level-text-${lvl === "" ? "none" : lvl}`;
      fill.className = `gauge-fill level-fill-${lvl === "" ? "none" : lvl}`;
      fill.style.width = `${(r * 100).toFixed(1)}%`;
      track.setAttribute("aria-valuenow", r.toFixed(2));
    },
  };
}
