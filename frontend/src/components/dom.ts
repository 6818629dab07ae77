// dom.ts has the small element builders the screens share. Text always goes
// in through textContent, so paths, titles and messages cannot inject markup.

/** el creates an element with optional class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  opts: { cls?: string; text?: string; id?: string; title?: string } = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (opts.cls !== undefined) {
    e.className = opts.cls;
  }
  if (opts.id !== undefined) {
    e.id = opts.id;
  }
  if (opts.text !== undefined) {
    e.textContent = opts.text;
  }
  if (opts.title !== undefined) {
    e.title = opts.title;
  }
  e.append(...children);
  return e;
}

/** button creates a type="button" button that runs onClick. */
export function button(
  text: string,
  onClick: () => void,
  opts: { id?: string; cls?: string; title?: string } = {},
): HTMLButtonElement {
  const b = el("button", { text, ...opts });
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/** panel creates a titled section. */
export function panel(title: string, opts: { id?: string; cls?: string } = {}, ...children: Node[]): HTMLElement {
  const s = el("section", { cls: opts.cls === undefined ? "panel" : `panel ${opts.cls}` });
  if (opts.id !== undefined) {
    s.id = opts.id;
  }
  s.append(el("h2", { text: title }), ...children);
  return s;
}

/** devicePixelRatio is the window's, or 1. */
export function dpr(): number {
  const r = window.devicePixelRatio;
  return Number.isFinite(r) && r > 0 ? r : 1;
}
