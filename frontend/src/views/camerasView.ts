// camerasView.ts lists the local video devices and starts analysing one.
// Devices that look virtual are badged with the reason, since a virtual
// camera is how a face swap usually reaches a video call.

import { listCameras, startCamera } from "../api/cameras";
import type { Camera } from "../api/types";
import type { AppContext, Unmount } from "../app/context";
import type { Route } from "../app/router";
import { button, el, panel } from "../components/dom";
import { showError } from "../components/errorBanner";
import { errorMessage } from "../components/format";

/** mountCamerasView builds the cameras screen. */
export function mountCamerasView(root: HTMLElement, _route: Route, ctx: AppContext): Unmount {
  let alive = true;
  const status = el("p", { cls: "muted", text: "Looking for cameras…" });
  const list = el("ul", { id: "camera-list", cls: "camera-list" });

  const row = (c: Camera): HTMLElement => {
    const start = button("Start", () => {
      start.disabled = true;
      startCamera(c.device)
        .then((sid) => {
          if (alive) {
            ctx.navigate({ screen: "live", id: sid, params: { kind: "camera", title: c.name === "" ? c.device : c.name } });
          }
        })
        .catch((err: unknown) => {
          start.disabled = false;
          showError(err, `Could not start ${c.name === "" ? c.device : c.name}`);
        });
    }, { cls: "primary" });
    start.dataset.device = c.device;
    if (!c.capture) {
      start.disabled = true;
      start.title = "This device does not capture video.";
    }
    const badges = el("span", { cls: "badges" });
    if (c.virtual) {
      badges.append(el("span", { cls: "badge virtual", text: "Virtual", title: c.reason }));
    }
    if (!c.capture) {
      badges.append(el("span", { cls: "badge muted-badge", text: "No video capture" }));
    }
    const details = [c.driver === "" ? "" : `Driver ${c.driver}`, c.busInfo === "" ? "" : `Bus ${c.busInfo}`, c.module === "" ? "" : `Module ${c.module}`, c.device]
      .filter((x) => x !== "")
      .join(" · ");
    const li = el(
      "li",
      { cls: c.virtual ? "camera virtual" : "camera" },
      el(
        "div",
        { cls: "camera-info" },
        el("div", {}, el("strong", { text: c.name === "" ? c.card || c.device : c.name }), badges),
        el("div", { cls: "muted small", text: details }),
        ...(c.virtual && c.reason !== "" ? [el("div", { cls: "small reason", text: c.reason })] : []),
      ),
      start,
    );
    li.dataset.device = c.device;
    li.dataset.virtual = String(c.virtual);
    return li;
  };

  const load = (): void => {
    status.textContent = "Looking for cameras…";
    status.hidden = false;
    listCameras()
      .then((cams) => {
        if (!alive) {
          return;
        }
        list.replaceChildren(...cams.map(row));
        status.textContent = cams.length === 0 ? "No cameras found." : "";
        status.hidden = cams.length > 0;
      })
      .catch((err: unknown) => {
        status.textContent = `Could not list the cameras: ${errorMessage(err)}`;
        showError(err, "Could not list the cameras");
      });
  };

  root.append(
    el("h1", { text: "Local cameras" }),
    panel(
      "Cameras on this computer",
      {},
      el("p", { cls: "muted", text: "Start one to watch it with the live analysis, for example to check your own setup." }),
      el("div", { cls: "row" }, button("Refresh", load, { id: "refresh-cameras" })),
      status,
      list,
    ),
  );
  load();
  return () => {
    alive = false;
  };
}
