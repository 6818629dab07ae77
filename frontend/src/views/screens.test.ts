// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Overlay, ReviewInfo, RiskWindow } from "../api/types";
import { mountApp, type App } from "../app/shell";
import { flush, installFakeWails, type FakeWails } from "../testing/fakeWails";

const info: ReviewInfo = { id: "r1", path: "/rec/call.mp4", title: "call.mp4", durationMs: 4000, width: 640, height: 360, fps: 25, frames: 100 };

function overlay(frame: number): Overlay {
  return {
    source: "review", id: "r1", frame, timeMs: frame * 40, width: 640, height: 360, box: null, landmarks: [],
    risk: frame / 100, level: frame > 50 ? "high" : "low", signals: [], audioLevel: 0, lipOffsetMs: null,
    lipConfidence: 0, dropped: 0, latencyMs: 0, frameURL: `/frames/review/r1/${frame}.jpg`,
  };
}

const highWindow: RiskWindow = {
  startMs: 2000, endMs: 3000, risk: 0.8, level: "high",
  scores: { temporal: 0.2, occlusion: 0.1, lighting: 0.1, lipsync: 0.9, boundary: 0.3, virtual_camera: 0, blink: 0.4 },
  reasons: ["lips lag the voice by 240 ms"],
};

let fake: FakeWails;
let app: App;

async function mountAt(hash: string): Promise<void> {
  window.location.hash = hash;
  await flush();
  document.body.innerHTML = '<div id="app"></div>';
  app = mountApp(document.getElementById("app") as HTMLElement);
  await flush();
}

const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const e = document.querySelector<T>(sel);
  if (e === null) {
    throw new Error(`no ${sel}`);
  }
  return e;
};

beforeEach(() => {
  fake = installFakeWails({
    SessionService: {
      List: () => [
        { id: "s1", kind: "live", title: "Backend interview", source: "", folder: "/rec/s1", startedAt: "2025-03-01T10:00:00Z", endedAt: "2025-03-01T10:30:00Z", risk: 0.71, level: "high", frames: 1, dropped: 0, reportPath: "", inputSha256: "" },
        { id: "s2", kind: "camera", title: "Webcam test", source: "/dev/video0", folder: "", startedAt: "2025-03-02T10:00:00Z", endedAt: "2025-03-02T10:01:00Z", risk: 0, level: "", frames: 1, dropped: 0, reportPath: "", inputSha256: "" },
      ],
    },
    LiveService: {
      NewInterview: (title) => ({ id: "iv1", title, candidateURL: "https://10.0.0.2:8443/join/iv1", whipURL: "https://10.0.0.2:8443/whip/iv1", token: "s3cret", expiresAt: "0001-01-01T00:00:00Z" }),
    },
    ReviewService: {
      Open: () => info,
      Overlays: (_id, from, count) => {
        const out: Overlay[] = [];
        for (let f = from as number; f < Math.min((from as number) + (count as number), 100); f++) {
          out.push(overlay(f));
        }
        return out;
      },
      Windows: () => [highWindow],
      Export: (_id, kind) => `/rec/r1/report.${String(kind)}`,
    },
    CameraService: {
      List: () => [
        { device: "/dev/video0", index: 0, name: "Integrated Camera", driver: "uvcvideo", card: "", busInfo: "usb-0000:00:14.0-6", module: "uvcvideo", capture: true, virtual: false, reason: "" },
        { device: "/dev/video9", index: 9, name: "Dummy video device", driver: "v4l2 loopback", card: "", busInfo: "platform:v4l2loopback-000", module: "v4l2loopback", capture: true, virtual: true, reason: "v4l2loopback module" },
      ],
      Start: () => "cam-1",
    },
    SettingsService: {
      Get: () => ({ storageDir: "/home/u/Unmask", retentionDays: 30, bindLAN: false, sensitivity: "normal" }),
      Save: () => Promise.reject("storageDir: folder does not exist"),
    },
  });
});

afterEach(() => {
  app.dispose();
  fake.uninstall();
});

describe("start screen", () => {
  it("lists past sessions and creates an interview", async () => {
    await mountAt("#/start");
    expect(document.body.dataset.screen).toBe("start");
    const rows = document.querySelectorAll("#session-list tbody tr");
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain("Backend interview");
    expect(rows[0]?.querySelector(".badge")?.textContent).toBe("High");
    // A camera session with no recording cannot be reviewed.
    expect(rows[1]?.querySelector<HTMLButtonElement>("button")?.disabled).toBe(true);

    $<HTMLInputElement>("#interview-title").value = "Backend interview";
    $("#new-interview").click();
    await flush();
    expect(fake.callsOf("LiveService", "NewInterview")[0]?.args).toEqual(["Backend interview"]);
    expect($("#candidate-link").textContent).toBe("https://10.0.0.2:8443/join/iv1");
    expect($("#whip-token").textContent).not.toContain("s3cret");
    $("#show-token").click();
    expect($("#whip-token").textContent).toBe("s3cret");
  });

  it("opens a pasted path and shows the review screen with its progress", async () => {
    await mountAt("#/start");
    $<HTMLInputElement>("#open-path").value = "  /rec/call.mp4 ";
    $("#open-path-go").click();
    await flush(10);
    expect(fake.callsOf("ReviewService", "Open")[0]?.args).toEqual(["/rec/call.mp4"]);
    expect(document.body.dataset.screen).toBe("review");
    expect(window.location.hash).toBe("#/review/r1?path=%2Frec%2Fcall.mp4");
    const progress = $("#review-progress");
    expect(progress.hidden).toBe(false);

    fake.emit("review:progress", { id: "r1", done: 40, total: 100, fps: 120, finished: false, error: "" });
    expect(progress.dataset.done).toBe("40");
    expect(progress.textContent).toContain("40 of 100 frames");
    fake.emit("review:progress", { id: "r1", done: 100, total: 100, fps: 120, finished: true, error: "" });
    expect(progress.hidden).toBe(true);
  });
});

describe("review screen", () => {
  it("shows frames, steps, evidence and exports", async () => {
    // An address from an earlier run of the window: the screen reopens the path.
    await mountAt("#/review/stale-id?path=%2Frec%2Fcall.mp4");
    expect(fake.callsOf("ReviewService", "Open")).toHaveLength(1);
    await flush(10);
    expect(window.location.hash).toBe("#/review/r1?path=%2Frec%2Fcall.mp4");
    expect($("#review-player img")).toBeTruthy();
    expect($("#overlay-canvas")).toBeTruthy();
    expect($("#timeline-plot")).toBeTruthy();
    expect($("#risk-gauge").dataset.risk).toBe("0.00");
    // Frames come in batches: frame 0 fetched its batch and the next one.
    const batches = fake.callsOf("ReviewService", "Overlays").map((c) => c.args[1]);
    expect(batches).toEqual([0, 64]);

    document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight" }));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight" }));
    await flush();
    expect($("#review-time").dataset.frame).toBe("2");
    expect($("#risk-gauge").dataset.risk).toBe("0.02");

    await new Promise((r) => setTimeout(r, 50));
    const thumbs = document.querySelectorAll<HTMLButtonElement>("#evidence-strip .thumb");
    expect(thumbs).toHaveLength(1);
    expect(thumbs[0]?.querySelector("img")?.getAttribute("src")).toBe("/frames/review/r1/62.jpg");
    thumbs[0]?.click();
    await flush();
    expect($("#review-time").dataset.frame).toBe("50");
    // Frames 0..127 were fetched already: no new request.
    expect(fake.callsOf("ReviewService", "Overlays")).toHaveLength(2);

    // The end of the analysis may revise scores: the frame on screen is fetched again.
    fake.emit("review:progress", { id: "r1", done: 100, total: 100, fps: 90, finished: true, error: "" });
    await flush();
    expect(fake.callsOf("ReviewService", "Overlays").map((c) => c.args[1])).toEqual([0, 64, 0, 64]); // with the batch ahead

    $("#export-pdf").click();
    await flush();
    expect(fake.callsOf("ReviewService", "Export")[0]?.args).toEqual(["r1", "pdf"]);
    expect($("#export-result").textContent).toContain("/rec/r1/report.pdf");
  });

  it("plays and pauses with the space bar", async () => {
    await mountAt("#/review/r1?path=%2Frec%2Fcall.mp4");
    await flush(10);
    document.dispatchEvent(new KeyboardEvent("keydown", { key: " " }));
    expect($("#play-pause").dataset.playing).toBe("true");
    await new Promise((r) => setTimeout(r, 200));
    document.dispatchEvent(new KeyboardEvent("keydown", { key: " " }));
    expect($("#play-pause").dataset.playing).toBe("false");
    expect(Number($("#review-time").dataset.frame)).toBeGreaterThan(0);
  });
});

describe("cameras and settings", () => {
  it("badges virtual cameras and starts one", async () => {
    await mountAt("#/cameras");
    const items = document.querySelectorAll<HTMLElement>("#camera-list li");
    expect(items).toHaveLength(2);
    expect(items[1]?.dataset.virtual).toBe("true");
    expect(items[1]?.textContent).toContain("v4l2loopback module");
    items[0]?.querySelector<HTMLButtonElement>("button")?.click();
    await flush(10);
    expect(fake.callsOf("CameraService", "Start")[0]?.args).toEqual(["/dev/video0"]);
    expect(document.body.dataset.screen).toBe("live");
    expect(window.location.hash).toContain("#/live/cam-1");
  });

  it("shows the validation error of a rejected save", async () => {
    await mountAt("#/settings");
    expect($<HTMLInputElement>("#settings-storage").value).toBe("/home/u/Unmask");
    expect($("#lan-warning").hidden).toBe(true);
    $<HTMLInputElement>("#settings-bind-lan").click();
    expect($("#lan-warning").hidden).toBe(false);
    $<HTMLFormElement>("#settings-form").requestSubmit();
    await flush();
    expect(fake.callsOf("SettingsService", "Save")[0]?.args[0]).toEqual({
      storageDir: "/home/u/Unmask",
      retentionDays: 30,
      bindLAN: true,
      sensitivity: "normal",
    });
    const banner = $("#error-banner");
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain("storageDir: folder does not exist");
  });

  it("switches theme with t and remembers it", async () => {
    await mountAt("#/settings");
    const before = document.documentElement.dataset.theme;
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "t" }));
    expect(document.documentElement.dataset.theme).not.toBe(before);
    expect(window.localStorage.getItem("unmask.theme")).toBe(document.documentElement.dataset.theme);
    expect(document.documentElement.style.getPropertyValue("--bg")).not.toBe("");
  });
});
