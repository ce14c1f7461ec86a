/** Main's side of the bridge: exactly the preload's channels, only for pages on core's origin. */
import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { describe, expect, it, vi } from "vitest";
import { BRIDGE_CHANNELS, registerBridge } from "./ipc.ts";

const CORE = "http://127.0.0.1:4310";
type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function setup() {
  const handlers = new Map<string, Handler>();
  const ipc = { handle: (channel: string, handler: Handler) => void handlers.set(channel, handler) };
  const bridge = { core: vi.fn(() => ({ url: `${CORE}/?token=t`, token: "t" })), newWindow: vi.fn(), openExternal: vi.fn(async () => undefined) };
  registerBridge(ipc as unknown as Pick<IpcMain, "handle">, () => CORE, bridge);
  const from = (url: string | null) => ({ senderFrame: url === null ? null : { url } }) as unknown as IpcMainInvokeEvent;
  const call = (channel: string, url: string | null, ...args: unknown[]) => handlers.get(channel)!(from(url), ...args);
  return { handlers, bridge, call };
}

describe("registerBridge", () => {
  it("handles exactly the preload's channels", () => {
    expect([...setup().handlers.keys()].sort()).toEqual(["workstation:core", "workstation:new-window", "workstation:open-external"]);
    expect(Object.values(BRIDGE_CHANNELS).sort()).toEqual(["workstation:core", "workstation:new-window", "workstation:open-external"]);
  });

  it("answers core's page", async () => {
    const { bridge, call } = setup();
    expect(call("workstation:core", `${CORE}/#/chart`)).toEqual({ url: `${CORE}/?token=t`, token: "t" });
    call("workstation:new-window", `${CORE}/`);
    await call("workstation:open-external", `${CORE}/`, "https://example.org/a b");
    expect(bridge.newWindow).toHaveBeenCalledTimes(1);
    expect(bridge.openExternal.mock.calls).toEqual([["https://example.org/a%20b"]]);
  });

  it("opens a chart window or a detached editor when asked, the workstation for anything else", () => {
    const { bridge, call } = setup();
    call("workstation:new-window", `${CORE}/`, "chart");
    call("workstation:new-window", `${CORE}/`, "editor");
    call("workstation:new-window", `${CORE}/`, { evil: true });
    expect(bridge.newWindow.mock.calls).toEqual([["chart"], ["editor"], [undefined]]);
  });

  it("refuses other pages, destroyed frames and malformed sender URLs (the token never leaves core)", () => {
    const { bridge, call } = setup();
    for (const url of ["https://evil.example/", "http://127.0.0.1:4311/", "about:blank", "%%%", null]) {
      for (const channel of Object.values(BRIDGE_CHANNELS)) expect(() => call(channel, url, "https://example.org/")).toThrow("not allowed from this page");
    }
    expect(bridge.core).not.toHaveBeenCalled();
  });

  it("refuses links that are malformed, local or not http(s)", () => {
    const { bridge, call } = setup();
    for (const link of ["http://[::1", "file:///etc/passwd", "javascript:alert(1)", `${CORE}/`, 42]) {
      expect(() => call("workstation:open-external", `${CORE}/`, link)).toThrow("link not allowed");
    }
    expect(bridge.openExternal).not.toHaveBeenCalled();
  });
});
