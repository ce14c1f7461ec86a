/**
 * Single instance, against a fake `electron`: a second launch quits before starting anything; the
 * first one brings its window to the front when another launch starts; the app id is set at start.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeBrowserWindow, fakeElectron } from "./fake-electron.ts";
import { APP_ID } from "./notifications.ts";
import { claimSingleInstance } from "./single-instance.ts";

vi.mock("electron", async () => (await import("./fake-electron.ts")).fakeElectron);

const { app } = fakeElectron;

afterEach(() => {
  app.removeAllListeners();
  app.lockHeld = true;
  FakeBrowserWindow.windows = [];
  vi.resetModules();
});

describe("claimSingleInstance", () => {
  it("quits a second instance", () => {
    app.lockHeld = false;
    const onSecond = vi.fn();
    expect(claimSingleInstance(app, onSecond)).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.listenerCount("second-instance")).toBe(0);
  });

  it("runs the handler in the first instance whenever another launch starts", () => {
    const onSecond = vi.fn();
    expect(claimSingleInstance(app, onSecond)).toBe(true);
    app.emit("second-instance", {}, ["workstation"], "/");
    expect(onSecond).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
  });
});

describe("main/index.ts", () => {
  it("in a second instance: quits, registers nothing and never waits for ready", async () => {
    app.lockHeld = false;
    await import("./index.ts");
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(fakeElectron.ipcMain.handle).not.toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
  });

  it("in the first instance: sets the app id, registers the bridge, and a second launch restores and focuses the window", async () => {
    await import("./index.ts");
    expect(app.setAppUserModelId.mock.calls).toEqual([[APP_ID]]);
    expect(fakeElectron.ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual(["workstation:core", "workstation:new-window", "workstation:open-external"]);
    const win = new FakeBrowserWindow({});
    win.minimize();
    app.emit("second-instance", {}, ["workstation"], "/");
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
  });
});
