/**
 * The preload exposes exactly `window.workstation` with its allow-listed members, and each call
 * invokes only its own channel with only its own argument (run against a fake `electron`).
 */
// eslint-disable-next-line layers/direction -- the test runs in Node under vitest; only the bundled preload is limited to electron
import { describe, expect, it, vi } from "vitest";

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => "answer"), send: vi.fn(), sendSync: vi.fn(), on: vi.fn() },
}));
vi.mock("electron", () => electron);

await import("./index.ts");
// Read now: vitest clears mock calls before each test.
const exposeCalls = electron.contextBridge.exposeInMainWorld.mock.calls.slice() as [string, Record<string, unknown>][];

function exposed(): Record<string, unknown> {
  expect(exposeCalls).toHaveLength(1);
  const [key, api] = exposeCalls[0]!;
  expect(key).toBe("workstation");
  return api;
}

describe("preload bridge", () => {
  it("exposes only window.workstation with platform, core, openExternal and newWindow", () => {
    const api = exposed();
    expect(Reflect.ownKeys(api).sort()).toEqual(["core", "newWindow", "openExternal", "platform"]);
    expect(api.platform).toBe("desktop");
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) expect(value === electron.ipcRenderer || value === electron.ipcRenderer.invoke).toBe(false);
  });

  it("invokes only the allow-listed channels, with only each call's own argument", async () => {
    const api = exposed() as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api.core!("extra", "args");
    await api.newWindow!({ evil: true });
    await api.newWindow!("chart", "extra");
    await api.openExternal!({ toString: () => "https://example.org/" }, "extra");
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      ["workstation:core"],
      ["workstation:new-window"],
      ["workstation:new-window", "chart"],
      ["workstation:open-external", "https://example.org/"],
    ]);
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.on).not.toHaveBeenCalled();
  });
});
