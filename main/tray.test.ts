/** The tray item against a fake `electron`: connection state from the supervisor, menu and hooks. */
import { EventEmitter } from "node:events";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { FakeTray } from "./fake-electron.ts";
import { createStatusTray, trayMenuTemplate, watchConnection, type ConnectionState } from "./tray.ts";

vi.mock("electron", async () => (await import("./fake-electron.ts")).fakeElectron);

const actions = { show: vi.fn(), quit: vi.fn() };
const labels = (items: { label?: string; type?: string }[]): string[] => items.map((item) => item.label ?? `-${item.type}-`);

beforeEach(() => {
  FakeTray.trays = [];
});

describe("tray", () => {
  it("follows the supervisor: connected, reconnecting after a crash, connected again", () => {
    const supervisor = new EventEmitter();
    const states: ConnectionState[] = [];
    watchConnection(supervisor, (state) => states.push(state));
    supervisor.emit("ready", "http://127.0.0.1:1/");
    supervisor.emit("died", 1, null);
    supervisor.emit("restarted", "http://127.0.0.1:1/");
    expect(states).toEqual(["connected", "reconnecting", "connected"]);
  });

  it("shows the state, Show and Quit; the trading items only with their hooks", () => {
    const plain = trayMenuTemplate("connected", actions);
    expect(labels(plain)).toEqual(["Core connected", "-separator-", "Show Workstation", "-separator-", "Quit Workstation"]);
    const killSwitch = vi.fn();
    const trading = trayMenuTemplate("reconnecting", actions, { openPnl: () => "+12.50 USDT", killSwitch });
    expect(labels(trading)).toEqual(["Core stopped, restarting…", "Open P&L: +12.50 USDT", "-separator-", "Show Workstation", "Kill Switch…", "-separator-", "Quit Workstation"]);
    expect(labels(trayMenuTemplate("connected", actions, { openPnl: () => null }))).toEqual(labels(plain));
    for (const item of trading) (item.click as (() => void) | undefined)?.();
    expect([actions.show.mock.calls.length, killSwitch.mock.calls.length, actions.quit.mock.calls.length]).toEqual([1, 1, 1]);
  });

  it("creates a tray-sized icon and updates tooltip and menu with the state", () => {
    const tray = createStatusTray("/app/resources/icon.png", actions);
    const fake = FakeTray.trays[0]!;
    expect(fake.icon).toMatchObject({ file: "/app/resources/icon.png", size: { width: 16, height: 16 } });
    expect(fake.toolTip).toBe("Workstation — core starting…");
    tray.setState("connected");
    expect(fake.toolTip).toBe("Workstation — core connected");
    expect(fake.menu!.items[0]).toMatchObject({ label: "Core connected", enabled: false });
    tray.destroy();
    expect(fake.destroyed).toBe(true);
  });
});
