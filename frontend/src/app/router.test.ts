import { describe, expect, it } from "vitest";
import { formatRoute, parseRoute, type Route } from "./router";

describe("parseRoute", () => {
  const cases: Array<[string, Route]> = [
    ["", { screen: "start", id: "", params: {} }],
    ["#", { screen: "start", id: "", params: {} }],
    ["#/start", { screen: "start", id: "", params: {} }],
    ["#/cameras", { screen: "cameras", id: "", params: {} }],
    ["#/settings", { screen: "settings", id: "", params: {} }],
    ["#/live/abc123", { screen: "live", id: "abc123", params: {} }],
    ["#live/abc123", { screen: "live", id: "abc123", params: {} }],
    ["#/live/cam%201?kind=camera", { screen: "live", id: "cam 1", params: { kind: "camera" } }],
    ["#/review/r-9?path=%2Fhome%2Fa%20b.mp4", { screen: "review", id: "r-9", params: { path: "/home/a b.mp4" } }],
    ["#/live", { screen: "start", id: "", params: {} }],
    ["#/review/", { screen: "start", id: "", params: {} }],
    ["#/nowhere/1", { screen: "start", id: "", params: {} }],
    ["#/live/%E0%A4%A", { screen: "start", id: "", params: {} }],
  ];
  for (const [hash, want] of cases) {
    it(JSON.stringify(hash), () => {
      expect(parseRoute(hash)).toEqual(want);
    });
  }
});

describe("formatRoute", () => {
  it("round-trips through parseRoute", () => {
    const routes: Route[] = [
      { screen: "start", id: "", params: {} },
      { screen: "live", id: "a/b?c#d", params: {} },
      { screen: "review", id: "r1", params: { path: "C:\\Videos\\call #3.mp4" } },
      { screen: "live", id: "x", params: { kind: "camera", title: "Cam & Mic" } },
    ];
    for (const r of routes) {
      expect(parseRoute(formatRoute(r))).toEqual(r);
    }
  });

  it("drops the id of screens without one", () => {
    expect(formatRoute({ screen: "settings", id: "x" })).toBe("#/settings");
    expect(formatRoute({ screen: "live", id: "abc" })).toBe("#/live/abc");
  });
});
