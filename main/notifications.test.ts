/** Native notifications against a fake `electron`: the app id (as packaged) and alerts shown. */
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { FakeNotification, fakeElectron } from "./fake-electron.ts";
import { APP_ID, registerAppId, showNotification } from "./notifications.ts";

vi.mock("electron", async () => (await import("./fake-electron.ts")).fakeElectron);

beforeEach(() => {
  FakeNotification.shown = [];
  FakeNotification.supported = true;
});

describe("notifications", () => {
  it("set the app's id, the same id electron-builder gives the installed app", () => {
    registerAppId(fakeElectron.app);
    expect(fakeElectron.app.setAppUserModelId.mock.calls).toEqual([[APP_ID]]);
    const builder = fs.readFileSync(path.join(import.meta.dirname, "..", "electron-builder.yml"), "utf8");
    expect(builder).toMatch(new RegExp(`^appId: ${APP_ID.replaceAll(".", "\\.")}$`, "m"));
  });

  it("show an alert and run the click action", () => {
    const clicked = vi.fn();
    const shown = showNotification({ title: "BTC/USDT", body: "crossed 70,000" }, clicked);
    expect(FakeNotification.shown).toEqual([shown]);
    expect(FakeNotification.shown[0]!.options).toEqual({ title: "BTC/USDT", body: "crossed 70,000", silent: false });
    FakeNotification.shown[0]!.emit("click");
    expect(clicked).toHaveBeenCalledTimes(1);
  });

  it("show nothing where the OS has no notifications", () => {
    FakeNotification.supported = false;
    expect(showNotification({ title: "t", body: "b" })).toBeNull();
    expect(FakeNotification.shown).toEqual([]);
  });
});
