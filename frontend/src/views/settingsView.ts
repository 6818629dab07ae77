// settingsView.ts edits the settings: where recordings are stored and for
// how long, which network the candidate link is served on, and how
// sensitive the analysis is. Go validates; its message is shown as is.

import { pickFolder } from "../api/review";
import { getSettings, saveSettings } from "../api/settings";
import type { Sensitivity, Settings } from "../api/types";
import type { AppContext, Unmount } from "../app/context";
import type { Route } from "../app/router";
import { button, el } from "../components/dom";
import { showError } from "../components/errorBanner";
import { errorMessage } from "../components/format";

const sensitivities: ReadonlyArray<{ value: Sensitivity; label: string }> = [
  { value: "low", label: "Low — fewer alerts, only strong evidence" },
  { value: "normal", label: "Normal" },
  { value: "high", label: "High — more alerts, more false alarms" },
];

/** mountSettingsView builds the settings screen. */
export function mountSettingsView(root: HTMLElement, _route: Route, _ctx: AppContext): Unmount {
  let alive = true;

  const storage = el("input", { id: "settings-storage" });
  storage.type = "text";
  storage.name = "storageDir";
  const choose = button("Choose…", () => {
    pickFolder()
      .then((p) => {
        if (p !== "") {
          storage.value = p;
        }
      })
      .catch((err: unknown) => showError(err, "Could not show the folder dialog"));
  }, { id: "settings-storage-pick" });

  const retention = el("input", { id: "settings-retention" });
  retention.type = "number";
  retention.min = "0";
  retention.step = "1";
  retention.name = "retentionDays";

  const radio = (value: string, id: string, label: string): { input: HTMLInputElement; label: HTMLLabelElement } => {
    const input = el("input", { id });
    input.type = "radio";
    input.name = "bind";
    input.value = value;
    const l = el("label", {}, input, document.createTextNode(` ${label}`));
    return { input, label: l };
  };
  const loopback = radio("loopback", "settings-bind-loopback", "This computer only (loopback)");
  const lan = radio("lan", "settings-bind-lan", "Local network (LAN)");
  const lanWarning = el("div", {
    id: "lan-warning",
    cls: "warn-box",
    text:
      "On the LAN, the candidate link can be reached by every device on this network, not only this computer. " +
      "Unmask then serves it over HTTPS; the token still protects each interview, so share links only with candidates.",
  });
  lanWarning.hidden = true;
  const syncWarning = (): void => {
    lanWarning.hidden = !lan.input.checked;
  };
  loopback.input.addEventListener("change", syncWarning);
  lan.input.addEventListener("change", syncWarning);

  const sensitivity = el("select", { id: "settings-sensitivity" });
  sensitivity.name = "sensitivity";
  for (const s of sensitivities) {
    const o = el("option", { text: s.label });
    o.value = s.value;
    sensitivity.append(o);
  }

  const save = el("button", { id: "settings-save", cls: "primary", text: "Save" });
  save.type = "submit";
  const status = el("span", { id: "settings-status", cls: "muted" });
  status.setAttribute("aria-live", "polite");

  const field = (label: string, forId: string, ...controls: Node[]): HTMLElement => {
    const l = el("label", { cls: "label", text: label });
    l.htmlFor = forId;
    return el("div", { cls: "field" }, l, ...controls);
  };
  const form = el(
    "form",
    { id: "settings-form", cls: "panel settings" },
    field("Storage folder", "settings-storage", el("div", { cls: "row" }, storage, choose), el("div", { cls: "muted small", text: "Recordings, reports and evidence are written here." })),
    field("Keep recordings for (days)", "settings-retention", retention, el("div", { cls: "muted small", text: "0 keeps them until you delete them." })),
    el("fieldset", { cls: "field" }, el("legend", { cls: "label", text: "Serve the candidate link on" }), loopback.label, lan.label, lanWarning),
    field("Sensitivity", "settings-sensitivity", sensitivity),
    el("div", { cls: "row" }, save, status),
  );
  form.noValidate = true;
  const controls = [storage, choose, retention, loopback.input, lan.input, sensitivity, save];
  const setDisabled = (d: boolean): void => {
    for (const c of controls) {
      c.disabled = d;
    }
  };
  setDisabled(true);

  const fill = (s: Settings): void => {
    storage.value = s.storageDir;
    retention.value = String(s.retentionDays);
    loopback.input.checked = !s.bindLAN;
    lan.input.checked = s.bindLAN;
    sensitivity.value = s.sensitivity;
    syncWarning();
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const days = retention.value.trim() === "" ? 0 : Number(retention.value);
    if (!Number.isInteger(days)) {
      status.textContent = "Not saved: the number of days must be a whole number.";
      form.dataset.state = "invalid";
      return;
    }
    const s: Settings = {
      storageDir: storage.value.trim(),
      retentionDays: days,
      bindLAN: lan.input.checked,
      sensitivity: sensitivity.value as Sensitivity,
    };
    setDisabled(true);
    status.textContent = "Saving…";
    form.dataset.state = "saving";
    saveSettings(s)
      .then((saved) => {
        if (!alive) {
          return;
        }
        fill(saved);
        status.textContent = "Saved.";
        form.dataset.state = "saved";
      })
      .catch((err: unknown) => {
        status.textContent = `Not saved: ${errorMessage(err)}`;
        form.dataset.state = "invalid";
        showError(err, "Settings not saved");
      })
      .finally(() => setDisabled(false));
  });

  root.append(el("h1", { text: "Settings" }), form);
  getSettings()
    .then((s) => {
      if (alive) {
        fill(s);
        setDisabled(false);
      }
    })
    .catch((err: unknown) => {
      status.textContent = `Could not load the settings: ${errorMessage(err)}`;
      showError(err, "Could not load the settings");
    });

  return () => {
    alive = false;
  };
}
