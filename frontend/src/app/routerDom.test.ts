// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { flush } from "../testing/fakeWails";
import { Router, type Route } from "./router";

let router: Router | null = null;
afterEach(() => {
  router?.stop();
  router = null;
});

describe("Router", () => {
  it("canonicalises the address, follows changes and does not remount on replace", async () => {
    window.location.hash = "#/nowhere";
    await flush();
    const seen: Route[] = [];
    router = new Router((r) => seen.push(r));
    router.start();
    expect(window.location.hash).toBe("#/start");
    expect(seen.map((r) => r.screen)).toEqual(["start"]);

    router.navigate({ screen: "live", id: "s1" });
    await flush();
    expect(seen.map((r) => `${r.screen}:${r.id}`)).toEqual(["start:", "live:s1"]);

    router.replace({ screen: "live", id: "s1", params: { kind: "camera" } });
    await flush();
    expect(window.location.hash).toBe("#/live/s1?kind=camera");
    expect(seen).toHaveLength(2);

    router.navigate({ screen: "live", id: "s1", params: { kind: "camera" } });
    expect(seen).toHaveLength(3); // going to the current address remounts it
  });
});
