/**
 * Window bounds restore: the saved file is validated (bad or missing → defaults), the saved
 * position is kept only where its title bar is on a display, and closing a window saves it.
 */
import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_SIZE, parseWindowState, placeWindow, readWindowState, rememberWindowState, writeWindowState, type WindowState } from "./window-state.ts";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "ws-window-state-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const PRIMARY = { x: 0, y: 25, width: 1920, height: 1055 };
const LEFT = { x: -1280, y: 0, width: 1280, height: 1024 };
const saved = (over: Partial<WindowState> = {}): WindowState => ({ x: 100, y: 80, width: 1300, height: 850, maximized: false, ...over });

describe("parseWindowState", () => {
  it("accepts a saved state", () => {
    expect(parseWindowState(JSON.stringify(saved({ maximized: true })))).toEqual(saved({ maximized: true }));
  });

  it("rejects anything malformed", () => {
    for (const text of ["", "{", "null", "[]", '"x"', "{}", '{"x":1,"y":2,"width":"800","height":600}', '{"x":1,"y":2,"width":100,"height":50}', '{"x":1e300,"y":2,"width":800,"height":600}', '{"x":null,"y":2,"width":800,"height":600}']) {
      expect(parseWindowState(text), text).toBeNull();
    }
  });
});

describe("placeWindow", () => {
  it("defaults without a saved state: the default size, no position", () => {
    expect(placeWindow(null, [PRIMARY])).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(placeWindow(null, [{ x: 0, y: 0, width: 1280, height: 720 }])).toEqual({ width: 1280, height: 720, maximized: false });
    expect(placeWindow(null, [])).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it("restores the saved bounds on the primary or another display", () => {
    expect(placeWindow(saved(), [PRIMARY, LEFT])).toEqual(saved());
    expect(placeWindow(saved({ x: -1200, y: 10, width: 1000 }), [PRIMARY, LEFT])).toEqual(saved({ x: -1200, y: 10, width: 1000 }));
    expect(placeWindow(saved({ maximized: true }), [PRIMARY])).toEqual(saved({ maximized: true }));
  });

  it("drops a position whose display is gone or whose title bar is off screen", () => {
    expect(placeWindow(saved({ x: -1200, y: 10 }), [PRIMARY])).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(placeWindow(saved({ y: -500 }), [PRIMARY])).toEqual({ ...DEFAULT_SIZE, maximized: false });
    expect(placeWindow(saved({ x: 1900 }), [PRIMARY])).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it("clamps a window larger than its display into it", () => {
    expect(placeWindow(saved({ x: 300, y: 100, width: 2500, height: 1400 }), [PRIMARY])).toEqual({ x: 0, y: 25, width: 1920, height: 1055, maximized: false });
  });
});

describe("saving", () => {
  it("writes the normal bounds and maximized state when the window closes, and reads them back", () => {
    const file = path.join(temp, "nested", "window-state.json");
    const win = Object.assign(new EventEmitter(), { getNormalBounds: () => ({ x: 5, y: 6, width: 1000, height: 700 }), isMaximized: () => true });
    rememberWindowState(win, file);
    expect(readWindowState(file)).toBeNull();
    win.emit("close");
    expect(readWindowState(file)).toEqual({ x: 5, y: 6, width: 1000, height: 700, maximized: true });
    expect(fs.readdirSync(path.dirname(file))).toEqual(["window-state.json"]);
  });

  it("reads a missing or garbled file as nothing saved", () => {
    expect(readWindowState(path.join(temp, "absent.json"))).toBeNull();
    fs.writeFileSync(path.join(temp, "garbled.json"), "\u0000{not json");
    expect(readWindowState(path.join(temp, "garbled.json"))).toBeNull();
  });

  it("reports a write it cannot do instead of throwing", () => {
    const blocker = path.join(temp, "a-file");
    fs.writeFileSync(blocker, "");
    const errors: Error[] = [];
    writeWindowState(path.join(blocker, "window-state.json"), saved(), (error) => errors.push(error));
    expect(errors).toHaveLength(1);
  });
});
