import { describe, expect, it } from "vitest";
import { actionFor, dispatch, onAction, type KeyLike } from "./shortcuts.ts";

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, typing: false, ...mods });

describe("keyboard shortcuts", () => {
  it("maps digits 1-9 to the timeframes 1s … 1M, but not while typing", () => {
    expect(actionFor(key("1"))).toEqual({ kind: "timeframe", timeframe: "1s" });
    expect(actionFor(key("5"))).toEqual({ kind: "timeframe", timeframe: "1h" });
    expect(actionFor(key("7"))).toEqual({ kind: "timeframe", timeframe: "1d" });
    expect(actionFor(key("8"))).toEqual({ kind: "timeframe", timeframe: "1w" });
    expect(actionFor(key("9"))).toEqual({ kind: "timeframe", timeframe: "1M" });
    expect(actionFor(key("0"))).toBeNull();
    expect(actionFor(key("2", { typing: true }))).toBeNull();
  });

  it("maps Alt+digit by physical key even where Alt changes the character", () => {
    expect(actionFor(key("¡", { altKey: true, code: "Digit1" }))).toEqual({ kind: "timeframe", timeframe: "1s" });
    expect(actionFor(key("∑", { altKey: true, code: "KeyW" }))).toEqual({ kind: "watch" });
  });

  it("leaves Alt to the field while typing (Option+key types characters on macOS)", () => {
    expect(actionFor(key("¡", { altKey: true, code: "Digit1", typing: true }))).toBeNull();
    expect(actionFor(key("˜", { altKey: true, code: "KeyN", typing: true }))).toBeNull();
  });

  it("maps modifier shortcuts everywhere, plain keys only outside fields", () => {
    expect(actionFor(key("k", { ctrlKey: true, typing: true }))).toEqual({ kind: "search" });
    expect(actionFor(key("Enter", { ctrlKey: true, typing: true }))).toEqual({ kind: "run" });
    expect(actionFor(key("s", { metaKey: true }))).toEqual({ kind: "save" });
    expect(actionFor(key(",", { ctrlKey: true }))).toEqual({ kind: "settings" });
    expect(actionFor(key("/"))).toEqual({ kind: "search" });
    expect(actionFor(key("/", { typing: true }))).toBeNull();
    expect(actionFor(key("?"))).toEqual({ kind: "shortcuts" });
    expect(actionFor(key("Escape", { typing: true }))).toEqual({ kind: "escape" });
    expect(actionFor(key("n", { altKey: true, code: "KeyN" }))).toEqual({ kind: "newWindow" });
    expect(actionFor(key("x", { ctrlKey: true }))).toBeNull();
  });

  it("dispatches to the installed handler only, and reports unhandled actions", () => {
    const seen: string[] = [];
    expect(dispatch({ kind: "theme" })).toBe(false);
    const off = onAction("theme", () => void seen.push("theme"));
    expect(dispatch({ kind: "theme" })).toBe(true);
    const offEsc = onAction("escape", () => false);
    expect(dispatch({ kind: "escape" })).toBe(false);
    off();
    offEsc();
    expect(dispatch({ kind: "theme" })).toBe(false);
    expect(seen).toEqual(["theme"]);
  });
});
