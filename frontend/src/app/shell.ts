// shell.ts builds the window: top bar, error banner, the current screen and
// the shortcut help; it routes between screens and owns the keyboard.

import { clearError, createErrorBanner } from "../components/errorBanner";
import { createHelpOverlay } from "../components/helpOverlay";
import { el } from "../components/dom";
import { createTopBar } from "../components/topBar";
import { onThemeChange, setupTheme, toggleTheme } from "../theme/theme";
import { mountCamerasView } from "../views/camerasView";
import { mountLiveView } from "../views/liveView";
import { mountReviewView } from "../views/reviewView";
import { mountSettingsView } from "../views/settingsView";
import { mountStartView } from "../views/startView";
import type { AppContext, MountView, Unmount } from "./context";
import { Router, type Screen } from "./router";
import { pendingRecording } from "../api/review";
import { inWindow } from "../api/wails";
import { ShortcutRegistry } from "./shortcuts";

const views: Record<Screen, MountView> = {
  start: mountStartView,
  live: mountLiveView,
  review: mountReviewView,
  cameras: mountCamerasView,
  settings: mountSettingsView,
};

/** App is a mounted window. */
export interface App {
  ctx: AppContext;
  /** dispose unmounts the current screen and stops routing and shortcuts. */
  dispose(): void;
}

/** mountApp builds the window into root and shows the screen of the current address. */
export function mountApp(root: HTMLElement): App {
  const shortcuts = new ShortcutRegistry();
  const help = createHelpOverlay();
  const banner = createErrorBanner();
  const bar = createTopBar({
    toggleTheme: () => toggleTheme(),
    help: () => help.open(shortcuts.list()),
  });
  const main = el("main", { id: "screen", cls: "screen" });
  root.replaceChildren(bar.el, banner.el, main, help.el);

  bar.setTheme(setupTheme());
  const offTheme = onThemeChange((t) => bar.setTheme(t));

  let unmount: Unmount | null = null;
  const router = new Router((route) => {
    if (unmount !== null) {
      unmount();
      unmount = null;
    }
    clearError();
    help.close();
    document.body.dataset.screen = route.screen;
    bar.setActive(route.screen);
    main.replaceChildren();
    window.scrollTo?.(0, 0);
    unmount = views[route.screen](main, route, ctx);
  });
  const ctx: AppContext = {
    navigate: (t) => router.navigate(t),
    replace: (t) => router.replace(t),
    shortcuts,
  };

  const offGlobal = shortcuts.add([
    { key: "?", description: "Show this help", run: () => help.open(shortcuts.list()) },
    { key: "t", description: "Switch between light and dark theme", run: () => toggleTheme() },
    { key: "s", description: "Go to the start screen", run: () => router.navigate({ screen: "start" }) },
    { key: "c", description: "Go to local cameras", run: () => router.navigate({ screen: "cameras" }) },
    { key: ",", description: "Go to settings", run: () => router.navigate({ screen: "settings" }) },
    { key: "Escape", description: "Close this help", run: () => help.close() },
  ]);
  const onKey = (e: KeyboardEvent): void => {
    shortcuts.handle(e);
  };
  document.addEventListener("keydown", onKey);
  router.start();
  // A recording named on the command line opens straight in review.
  if (inWindow()) {
    pendingRecording()
      .then((info) => {
        if (info !== null) {
          router.navigate({ screen: "review", id: info.id, params: { path: info.path } });
        }
      })
      .catch(() => undefined);
  }

  return {
    ctx,
    dispose() {
      document.removeEventListener("keydown", onKey);
      offGlobal();
      offTheme();
      router.stop();
      if (unmount !== null) {
        unmount();
        unmount = null;
      }
      root.replaceChildren();
    },
  };
}
