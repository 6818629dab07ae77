import { describe, expect, it } from "vitest";
import { isTypingTarget, keyLabel, normalizeKey, ShortcutRegistry, type KeyLike } from "./shortcuts";

function key(k: string, target: unknown = null, mods: Partial<KeyLike> = {}): KeyLike & { prevented: boolean } {
  const e = {
    key: k,
    target: target as EventTarget | null,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    prevented: false,
    preventDefault() {
      e.prevented = true;
    },
    ...mods,
  };
  return e;
}

describe("ShortcutRegistry", () => {
  it("runs the binding of a key and prevents the default", () => {
    const r = new ShortcutRegistry();
    const ran: string[] = [];
    r.add([{ key: "m", description: "mark", run: () => ran.push("m") }]);
    const e = key("m");
    expect(r.handle(e)).toBe(true);
    expect(ran).toEqual(["m"]);
    expect(e.prevented).toBe(true);
    expect(r.handle(key("x"))).toBe(false);
  });

  it("ignores keys typed into fields", () => {
    const r = new ShortcutRegistry();
    const ran: string[] = [];
    r.add([{ key: "m", description: "mark", run: () => ran.push("m") }]);
    for (const tag of ["INPUT", "TEXTAREA", "SELECT", "input"]) {
      const e = key("m", { tagName: tag });
      expect(r.handle(e)).toBe(false);
      expect(e.prevented).toBe(false);
    }
    expect(r.handle(key("m", { tagName: "DIV", isContentEditable: true }))).toBe(false);
    expect(ran).toEqual([]);
    expect(r.handle(key("m", { tagName: "BUTTON" }))).toBe(true);
  });

  it("leaves keys with Ctrl, Alt or Meta to the system", () => {
    const r = new ShortcutRegistry();
    let n = 0;
    r.add([{ key: "t", description: "theme", run: () => n++ }]);
    expect(r.handle(key("t", null, { ctrlKey: true }))).toBe(false);
    expect(r.handle(key("t", null, { metaKey: true }))).toBe(false);
    expect(r.handle(key("t", null, { altKey: true }))).toBe(false);
    expect(n).toBe(0);
  });

  it("lets a screen's binding shadow a global one until it is removed", () => {
    const r = new ShortcutRegistry();
    const ran: string[] = [];
    r.add([{ key: "l", description: "global", run: () => ran.push("global") }]);
    const remove = r.add([{ key: "L", description: "screen", run: () => ran.push("screen") }]);
    r.handle(key("l"));
    expect(r.list().map((s) => s.description)).toEqual(["screen"]);
    remove();
    r.handle(key("l"));
    expect(ran).toEqual(["screen", "global"]);
  });

  it("understands space, arrows and shifted keys", () => {
    const r = new ShortcutRegistry();
    const ran: string[] = [];
    r.add([
      { key: "Space", description: "play", run: () => ran.push("play") },
      { key: "ArrowLeft", description: "back", run: () => ran.push("back") },
      { key: "?", description: "help", run: () => ran.push("help") },
    ]);
    r.handle(key(" "));
    r.handle(key("ArrowLeft"));
    r.handle(key("?"));
    expect(ran).toEqual(["play", "back", "help"]);
  });
});

describe("key helpers", () => {
  it("normalizes and labels keys", () => {
    expect(normalizeKey(" ")).toBe("Space");
    expect(normalizeKey("M")).toBe("m");
    expect(normalizeKey("ArrowRight")).toBe("ArrowRight");
    expect(keyLabel("ArrowLeft")).toBe("←");
    expect(keyLabel("m")).toBe("M");
  });
  it("recognises typing targets", () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "A" } as unknown as EventTarget)).toBe(false);
  });
});
