// router.ts maps the location hash to a screen, so every screen has an
// address: #/start, #/live/ID, #/review/ID, #/cameras, #/settings. Query
// parameters after "?" carry what a screen needs to rebuild itself from
// the address alone (e.g. #/review/ID?path=… reopens a recording).

/** Screen names the screens of the window. */
export type Screen = "start" | "live" | "review" | "cameras" | "settings";

/** Route is a parsed address. */
export interface Route {
  screen: Screen;
  /** id is the session or recording id; "" for screens without one. */
  id: string;
  params: Record<string, string>;
}

const withId: ReadonlySet<Screen> = new Set<Screen>(["live", "review"]);
const withoutId: ReadonlySet<Screen> = new Set<Screen>(["start", "cameras", "settings"]);

/** START is the route of the start screen, where unknown addresses lead. */
export const START: Route = { screen: "start", id: "", params: {} };

/** parseRoute reads a location hash ("#/live/abc?x=1"). Anything unknown is the start screen. */
export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, "").replace(/^\/+/, "");
  const q = h.indexOf("?");
  const path = q >= 0 ? h.slice(0, q) : h;
  const query = q >= 0 ? h.slice(q + 1) : "";
  const parts = path.split("/").filter((p) => p !== "");
  const screen = parts[0] ?? "start";
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    params[k] = v;
  }
  if (withoutId.has(screen as Screen)) {
    return { screen: screen as Screen, id: "", params };
  }
  if (withId.has(screen as Screen) && parts[1] !== undefined) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1]);
    } catch {
      return { ...START, params: {} };
    }
    if (id !== "") {
      return { screen: screen as Screen, id, params };
    }
  }
  return { ...START, params: {} };
}

/** formatRoute is the hash of a route; parseRoute(formatRoute(r)) equals r. */
export function formatRoute(r: { screen: Screen; id?: string; params?: Record<string, string> }): string {
  let h = `#/${r.screen}`;
  if (withId.has(r.screen) && r.id !== undefined && r.id !== "") {
    h += `/${encodeURIComponent(r.id)}`;
  }
  const params = Object.entries(r.params ?? {});
  if (params.length > 0) {
    h += `?${new URLSearchParams(params).toString()}`;
  }
  return h;
}

/** sameRoute reports whether a and b address the same screen state. */
export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}

/**
 * Router calls onRoute for the current address and for every change.
 * Non-canonical addresses (an empty hash, an unknown screen) are replaced
 * in place by their canonical form without an extra history entry.
 */
export class Router {
  private readonly listener = (): void => this.update(false);
  /** shown is the canonical hash of the route last handed to onRoute. */
  private shown = "";

  constructor(private readonly onRoute: (r: Route) => void) {}

  /** start handles the current address and listens for changes. */
  start(): void {
    window.addEventListener("hashchange", this.listener);
    this.update(true);
  }

  /** stop stops listening. */
  stop(): void {
    window.removeEventListener("hashchange", this.listener);
  }

  /** navigate goes to r, adding a history entry; going to the current address remounts it. */
  navigate(r: { screen: Screen; id?: string; params?: Record<string, string> }): void {
    const h = formatRoute(r);
    if (h === window.location.hash) {
      this.update(true);
      return;
    }
    window.location.hash = h;
  }

  /** replace shows r in the address bar without notifying onRoute. */
  replace(r: { screen: Screen; id?: string; params?: Record<string, string> }): void {
    this.shown = formatRoute(r);
    window.history.replaceState(null, "", this.shown);
  }

  /**
   * update hands the current address to onRoute unless it is already
   * shown (some engines fire hashchange for replaceState too); force
   * remounts regardless.
   */
  private update(force: boolean): void {
    const r = parseRoute(window.location.hash);
    const canonical = formatRoute(r);
    if (canonical !== window.location.hash) {
      window.history.replaceState(null, "", canonical);
    }
    if (!force && canonical === this.shown) {
      return;
    }
    this.shown = canonical;
    this.onRoute(r);
  }
}
