// devicePanel.ts shows what is known about the candidate's capture device
// (#device-panel) and warns clearly when a finding points to a virtual
// camera, while saying that a device name alone proves little.

import type { LiveState } from "../api/types";
import { el } from "./dom";
import { formatScore } from "./format";

/** VIRTUAL_WARN_AT is the finding strength from which the virtual-camera warning shows. */
export const VIRTUAL_WARN_AT = 0.5;

/** DevicePanel is the panel element and its update function. */
export interface DevicePanel {
  el: HTMLElement;
  update(s: LiveState): void;
}

/** createDevicePanel builds an empty device panel. */
export function createDevicePanel(): DevicePanel {
  const warning = el("div", { cls: "warn-box", id: "virtual-camera-warning" });
  warning.setAttribute("role", "alert");
  warning.hidden = true;
  const listEl = el("ul", { cls: "findings" });
  const empty = el("p", { cls: "muted", text: "No device information yet." });
  const root = el("section", { id: "device-panel", cls: "panel" }, el("h2", { text: "Candidate's camera" }), warning, listEl, empty);
  root.dataset.warning = "false";
  return {
    el: root,
    update(s) {
      const strong = s.devices.filter((d) => d.strength >= VIRTUAL_WARN_AT);
      warning.hidden = strong.length === 0;
      root.dataset.warning = String(strong.length > 0);
      if (strong.length > 0) {
        warning.replaceChildren(
          el("strong", { text: "Possible virtual camera. " }),
          document.createTextNode(
            `${strong.map((d) => d.label).join(", ")}. ` +
              "A device name alone is weak evidence: names are easy to change in both directions. " +
              "Weigh it with the video signals and run a challenge.",
          ),
        );
      }
      listEl.replaceChildren(
        ...s.devices.map((d) => {
          const li = el(
            "li",
            { cls: d.strength >= VIRTUAL_WARN_AT ? "finding strong" : "finding" },
            el("div", {}, el("strong", { text: d.label }), el("span", { cls: "muted", text: ` · ${d.kind} · strength ${formatScore(d.strength)}` })),
            el("div", { cls: "muted small", text: d.reason }),
          );
          li.dataset.strength = d.strength.toFixed(2);
          return li;
        }),
      );
      empty.hidden = s.devices.length > 0;
    },
  };
}
