/**
 * Workstation windows against a fake `electron`: the hardened options, the restored placement, the
 * guards on each window's web contents, and bringing a window to the front.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { FakeBrowserWindow, fakeElectron, fire } from "./fake-electron.ts";
import { createWorkstationWindow, focusWindow, windowOptions } from "./windows.ts";

vi.mock("electron", async () => (await import("./fake-electron.ts")).fakeElectron);

const CORE_URL = "http://127.0.0.1:4310/?token=abc";

beforeEach(() => {
  FakeBrowserWindow.windows = [];
});

function created(): FakeBrowserWindow {
  expect(FakeBrowserWindow.windows).toHaveLength(1);
  return FakeBrowserWindow.windows[0]!;
}

describe("windowOptions", () => {
  it("isolates the page: context isolation, sandbox, no node, no webviews, no insecure content", () => {
    const options = windowOptions({ width: 1200, height: 800, maximized: false }, "/p/index.cjs");
    expect(options.webPreferences).toEqual({
      preload: "/p/index.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    });
  });

  it("uses the placement: a position only when it has one, and the minimum size", () => {
    expect(windowOptions({ width: 1200, height: 800, maximized: false })).toMatchObject({ width: 1200, height: 800, minWidth: 640, minHeight: 400 });
    expect(windowOptions({ width: 1200, height: 800, maximized: false })).not.toHaveProperty("x");
    expect(windowOptions({ x: -1500, y: 40, width: 1200, height: 800, maximized: false })).toMatchObject({ x: -1500, y: 40 });
  });
});

describe("createWorkstationWindow", () => {
  it("loads core at the placement, maximized when it was", () => {
    createWorkstationWindow(CORE_URL, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    const win = created();
    expect(win.loadedUrl).toBe(CORE_URL);
    expect(win.bounds).toEqual({ x: 10, y: 20, width: 1000, height: 700 });
    expect(win.maximized).toBe(true);
  });

  it("keeps the window on core and sends only well-formed external links to the system browser", () => {
    createWorkstationWindow(CORE_URL, { width: 1000, height: 700, maximized: false });
    const contents = created().webContents;
    expect(fire(contents, "will-navigate", "https://evil.example/")).toBe(true);
    expect(fire(contents, "will-navigate", "not a url")).toBe(true);
    expect(fire(contents, "will-navigate", "http://127.0.0.1:4310/#/strategy")).toBe(false);
    expect(contents.openHandler!({ url: "http://[::1" })).toEqual({ action: "deny" });
    expect(contents.openHandler!({ url: "https://example.org/docs" })).toEqual({ action: "deny" });
    expect(fakeElectron.shell.openExternal.mock.calls).toEqual([["https://example.org/docs"]]);
  });
});

describe("focusWindow", () => {
  it("restores a minimized window and focuses it", () => {
    const win = new FakeBrowserWindow({});
    win.minimize();
    focusWindow(win as unknown as Electron.BrowserWindow);
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
  });
});
