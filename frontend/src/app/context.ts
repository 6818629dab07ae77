// context.ts is what the shell hands each screen when mounting it.

import type { Route, Screen } from "./router";
import type { ShortcutRegistry } from "./shortcuts";

/** Target is an address to go to. */
export interface Target {
  screen: Screen;
  id?: string;
  params?: Record<string, string>;
}

/** AppContext gives a screen navigation and shortcuts. */
export interface AppContext {
  /** navigate goes to another screen (a new history entry). */
  navigate(t: Target): void;
  /** replace rewrites the current address without remounting the screen. */
  replace(t: Target): void;
  shortcuts: ShortcutRegistry;
}

/** Unmount releases what a screen holds: subscriptions, timers, shortcuts. */
export type Unmount = () => void;

/** MountView builds a screen into root. */
export type MountView = (root: HTMLElement, route: Route, ctx: AppContext) => Unmount;
