// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { installFakeWails, type FakeWails } from "../testing/fakeWails";
import { invoke, subscribe } from "./bridge";
import { onLiveOverlay } from "./events";
import { fetchOverlays } from "./review";
import { listSessions } from "./sessions";
import { NotInWindowError } from "./wails";

let fake: FakeWails | null = null;
afterEach(() => {
  fake?.uninstall();
  fake = null;
});

describe("invoke", () => {
  it("calls window.go.app.Service.Method with the arguments", async () => {
    fake = installFakeWails({ LiveService: { Mark: (id, note) => ({ id: 1, sessionId: id, note }) } });
    const got = await invoke<{ note: string }>("LiveService", "Mark", "s1", "hello");
    expect(got.note).toBe("hello");
    expect(fake.calls).toEqual([{ service: "LiveService", method: "Mark", args: ["s1", "hello"] }]);
  });

  it("turns a Go error string into an Error", async () => {
    fake = installFakeWails({ SettingsService: { Save: () => Promise.reject("retentionDays: must be ≥ 0") } });
    await expect(invoke("SettingsService", "Save", {})).rejects.toThrow("retentionDays: must be ≥ 0");
  });

  it("says when a method is missing", async () => {
    fake = installFakeWails({});
    await expect(invoke("CameraService", "List")).rejects.toThrow("CameraService.List is not available");
  });

  it("rejects outside the window", async () => {
    await expect(invoke("SessionService", "List")).rejects.toBeInstanceOf(NotInWindowError);
    expect(subscribe("live:overlay", () => {})).toBeTypeOf("function");
  });
});

describe("payloads from Go", () => {
  it("turns nil slices into empty arrays", async () => {
    fake = installFakeWails({
      SessionService: { List: () => null },
      ReviewService: { Overlays: () => [{ frame: 3, landmarks: null, signals: null, box: undefined }] },
    });
    expect(await listSessions()).toEqual([]);
    const [o] = await fetchOverlays("r", 0, 10);
    expect(o?.landmarks).toEqual([]);
    expect(o?.signals).toEqual([]);
    expect(o?.box).toBeNull();
    expect(o?.lipOffsetMs).toBeNull();
  });
});

describe("subscribe", () => {
  it("delivers events until unsubscribed", () => {
    fake = installFakeWails();
    const got: number[] = [];
    const off = onLiveOverlay((o) => got.push(o.frame));
    fake.emit("live:overlay", { frame: 1, landmarks: [], signals: [] });
    off();
    fake.emit("live:overlay", { frame: 2, landmarks: [], signals: [] });
    expect(got).toEqual([1]);
    expect(fake.subscribers("live:overlay")).toBe(0);
  });
});
