// topBar.ts is the bar across the top: product name, screen tabs, the
// shortcut help and the theme toggle.

import type { Screen } from "../app/router";
import type { ThemeName } from "../theme/palette";
import { button, el } from "./dom";

/** TopBar is the bar element and its controls. */
export interface TopBar {
  el: HTMLElement;
  setActive(screen: Screen): void;
  setTheme(t: ThemeName): void;
}

/** TopBarActions are what the bar's controls do. */
export interface TopBarActions {
  toggleTheme(): void;
  help(): void;
}

/** createTopBar builds the bar. */
export function createTopBar(a: TopBarActions): TopBar {
  const tabs: Array<{ screen: Screen; label: string; key: string }> = [
    { screen: "start", label: "Start", key: "S" },
    { screen: "cameras", label: "Cameras", key: "C" },
    { screen: "settings", label: "Settings", key: "," },
  ];
  const links = new Map<Screen, HTMLAnchorElement>();
  const nav = el("nav", { cls: "tabs" });
  nav.setAttribute("aria-label", "Screens");
  for (const t of tabs) {
    const link = el("a", { id: `nav-${t.screen}`, text: t.label, title: `Shortcut: ${t.key}` });
    link.href = `#/${t.screen}`;
    links.set(t.screen, link);
    nav.append(link);
  }
  const theme = button("", () => a.toggleTheme(), { id: "theme-toggle", cls: "ghost" });
  const help = button("?", () => a.help(), { id: "help-button", cls: "ghost", title: "Keyboard shortcuts (?)" });
  help.setAttribute("aria-label", "Keyboard shortcuts");
  const root = el(
    "header",
    { cls: "top-bar" },
    el("span", { cls: "brand", text: "Unmask" }),
    nav,
    el("span", { cls: "spacer" }),
    help,
    theme,
  );
  return {
    el: root,
    setActive(screen) {
      for (const [s, link] of links) {
        if (s === screen) {
          link.setAttribute("aria-current", "page");
        } else {
          link.removeAttribute("aria-current");
        }
      }
    },
    setTheme(t) {
      theme.textContent = t === "dark" ? "Light theme" : "Dark theme";
      theme.title = `Switch to the ${t === "dark" ? "light" : "dark"} theme (T)`;
      theme.dataset.theme = t;
    },
  };
}
