// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Overlay, SignalName } from "../api/types";
import { SIGNALS } from "../api/types";
import { mountApp, type App } from "../app/shell";
import { flush, installFakeWails, type FakeWails } from "../testing/fakeWails";

function overlay(id: string, risk: number, level: Overlay["level"], scores: Partial<Record<SignalName, number>> = {}): Overlay {
  return {
    source: "live",
    id,
    frame: 1,
    timeMs: 1000,
    width: 640,
    height: 480,
    box: { x: 100, y: 80, w: 200, h: 240 },
    landmarks: [],
    risk,
    level,
    signals: SIGNALS.map((name) => ({ name, score: scores[name] ?? 0.1, reason: `${name} looks fine`, region: null })),
    audioLevel: 0.4,
    lipOffsetMs: 120,
    lipConfidence: 0.8,
    dropped: 3,
    latencyMs: 85,
    frameURL: "/frames/live/s1/latest.jpg?n=1",
  };
}

let fake: FakeWails;
let app: App;

beforeEach(async () => {
  window.location.hash = "#/live/s1";
  await flush(); // let the hashchange of this assignment pass before mounting
  fake = installFakeWails({
    SessionService: {
      List: () => [],
      Marks: () => [],
    },
    LiveService: {
      Mark: (id, note) => ({ id: 7, sessionId: id, atMs: 61_000, note, evidence: "", createdAt: "" }),
      EndInterview: () => undefined,
    },
    ChallengeService: {
      Start: (sessionId, kind) => ({ id: "c1", sessionId, kind, title: "Hand", instructions: "Pass a hand", seconds: 10 }),
    },
  });
  document.body.innerHTML = '<div id="app"></div>';
  app = mountApp(document.getElementById("app") as HTMLElement);
});

afterEach(() => {
  app.dispose();
  fake.uninstall();
});

const $ = (sel: string): HTMLElement => {
  const e = document.querySelector<HTMLElement>(sel);
  if (e === null) {
    throw new Error(`no ${sel}`);
  }
  return e;
};

describe("live screen", () => {
  it("mounts with the stable ids", () => {
    expect(document.body.dataset.screen).toBe("live");
    for (const id of ["#live-player img", "#overlay-canvas", "#risk-gauge", "#signal-bars", "#device-panel", "#mark-note", "#mark-save", "#challenge-hand", "#challenge-turn", "#challenge-id", "#challenge-status"]) {
      expect(document.querySelector(id), id).not.toBeNull();
    }
    expect(document.querySelectorAll("#signal-bars [data-signal]")).toHaveLength(7);
  });

  it("updates the gauge and bars from live:overlay events for its session only", () => {
    fake.emit("live:overlay", overlay("s1", 0.82, "high", { lipsync: 0.9, blink: 0.6 }));
    const gauge = $("#risk-gauge");
    expect(gauge.dataset.level).toBe("high");
    expect(gauge.dataset.risk).toBe("0.82");
    const lip = $('#signal-bars [data-signal="lipsync"]');
    expect(lip.dataset.score).toBe("0.90");
    expect(lip.textContent).toContain("lipsync looks fine");
    expect($('#signal-bars [data-signal="blink"]').dataset.score).toBe("0.60");
    expect($("#dropped-count").textContent).toBe("3");
    expect($("#lip-sync").textContent).toContain("+120 ms");

    fake.emit("live:overlay", overlay("other", 0.1, "low"));
    fake.emit("live:overlay", { ...overlay("s1", 0.1, "low"), source: "review" });
    expect(gauge.dataset.level).toBe("high");

    fake.emit("live:overlay", overlay("s1", 0.2, "low"));
    expect(gauge.dataset.level).toBe("low");
  });

  it("refreshes the picture one image at a time and measures display latency", async () => {
    window.__unmaskDisplayLatency = [];
    const img = $("#live-player img") as HTMLImageElement;
    fake.emit("live:overlay", { ...overlay("s1", 0.3, "low"), frameURL: "/frames/live/s1/latest.jpg?n=1" });
    fake.emit("live:overlay", { ...overlay("s1", 0.3, "low"), frameURL: "/frames/live/s1/latest.jpg?n=2" });
    fake.emit("live:overlay", { ...overlay("s1", 0.3, "low"), frameURL: "/frames/live/s1/latest.jpg?n=3" });
    expect(img.getAttribute("src")).toBe("/frames/live/s1/latest.jpg?n=1");
    img.onload?.(new Event("load"));
    await new Promise((r) => setTimeout(r, 50)); // the animation frame after the load
    expect(window.__unmaskDisplayLatency).toHaveLength(1);
    expect(window.__unmaskDisplayLatency?.[0]).toBeGreaterThanOrEqual(0);
    expect($("#display-latency").dataset.median).not.toBe("");
    // The newest waiting frame is requested only after the first one painted.
    expect(img.getAttribute("src")).toBe("/frames/live/s1/latest.jpg?n=3");
  });

  it("warns about a virtual camera only on strong findings", () => {
    fake.emit("live:state", {
      id: "s1",
      state: "connected",
      message: "",
      devices: [{ kind: "name", label: "OBS Virtual Camera", reason: "device name", strength: 0.3 }],
    });
    expect($("#device-panel").dataset.warning).toBe("false");
    expect($("#device-panel").textContent).toContain("OBS Virtual Camera");
    fake.emit("live:state", {
      id: "s1",
      state: "connected",
      message: "",
      devices: [{ kind: "timing", label: "Frame timing", reason: "perfectly regular frames", strength: 0.7 }],
    });
    expect($("#device-panel").dataset.warning).toBe("true");
    expect($("#virtual-camera-warning").textContent).toContain("name alone is weak evidence");
  });

  it("runs a challenge from its shortcut and shows the result", async () => {
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "1" }));
    await flush();
    expect(fake.callsOf("ChallengeService", "Start")[0]?.args).toEqual(["s1", "hand"]);
    const status = $("#challenge-status");
    expect(status.dataset.state).toBe("running");
    expect(status.textContent).toContain("0:10");
    fake.emit("challenge:update", { id: "c1", sessionId: "s1", kind: "hand", remainingMs: 4200, state: "running", passed: false, score: 0, reasons: null });
    expect(status.textContent).toContain("0:05");
    fake.emit("challenge:update", { id: "c1", sessionId: "s1", kind: "hand", remainingMs: 0, state: "done", passed: false, score: 0.2, reasons: ["the hand did not occlude the face"] });
    expect(status.dataset.state).toBe("failed");
    expect(status.textContent).toContain("Not passed");
    expect(status.textContent).toContain("the hand did not occlude the face");
  });

  it("ignores shortcuts typed into the note, and marks the moment", async () => {
    const note = $("#mark-note") as HTMLInputElement;
    note.value = "looked away";
    note.dispatchEvent(new KeyboardEvent("keydown", { key: "1", bubbles: true }));
    await flush();
    expect(fake.callsOf("ChallengeService", "Start")).toHaveLength(0);
    $("#mark-save").click();
    await flush();
    expect(fake.callsOf("LiveService", "Mark")[0]?.args).toEqual(["s1", "looked away"]);
    expect($("#mark-list").textContent).toContain("1:01.0");
  });

  it("unsubscribes when leaving the screen", async () => {
    expect(fake.subscribers("live:overlay")).toBe(1);
    window.location.hash = "#/settings";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await flush();
    expect(document.body.dataset.screen).toBe("settings");
    expect(fake.subscribers("live:overlay")).toBe(0);
    expect(fake.subscribers("challenge:update")).toBe(0);
  });
});
