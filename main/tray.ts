/**
 * The tray (menu-bar) item: shows whether core is connected, from the core supervisor's events,
 * with Show and Quit. Open P&L and the kill switch are typed hooks that appear once trading exists.
 */
import type { EventEmitter } from "node:events";
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from "electron";

/** Core's state as the supervisor reports it. */
export type ConnectionState = "starting" | "connected" | "reconnecting" | "stopped";

/** The tray's words for each state. */
export const CONNECTION_LABELS: Readonly<Record<ConnectionState, string>> = {
  starting: "Core starting…",
  connected: "Core connected",
  reconnecting: "Core stopped, restarting…",
  stopped: "Core stopped",
};

/** Follows the supervisor's `ready`, `died` and `restarted` events as connection states. */
export function watchConnection(supervisor: EventEmitter, onChange: (state: ConnectionState) => void): void {
  supervisor.on("ready", () => onChange("connected"));
  supervisor.on("restarted", () => onChange("connected"));
  supervisor.on("died", () => onChange("reconnecting"));
}

/** What the tray does: show the workstation, quit. */
export interface TrayActions {
  show(): void;
  quit(): void;
}

/**
 * Hooks for when trading exists; each item appears only when its hook is given. Nothing provides
 * them yet: core has no live trading.
 */
export interface TradingTrayHooks {
  /** Open P&L as display text (e.g. "+1,234.50 USDT"), or null when nothing is open. */
  openPnl?: () => string | null;
  /** Flattens every position and stops every live strategy (asks first, in the caller). */
  killSwitch?: () => void | Promise<void>;
}

/** The tray's menu for a state. */
export function trayMenuTemplate(state: ConnectionState, actions: TrayActions, hooks: TradingTrayHooks = {}): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: CONNECTION_LABELS[state], enabled: false }];
  const pnl = hooks.openPnl?.();
  if (pnl != null) items.push({ label: `Open P&L: ${pnl}`, enabled: false });
  items.push({ type: "separator" }, { label: "Show Workstation", click: () => actions.show() });
  const killSwitch = hooks.killSwitch;
  if (killSwitch) items.push({ label: "Kill Switch…", click: () => void killSwitch() });
  items.push({ type: "separator" }, { label: "Quit Workstation", click: () => actions.quit() });
  return items;
}

/** A live tray item. */
export interface StatusTray {
  setState(state: ConnectionState): void;
  destroy(): void;
}

/** Creates the tray item from the app icon (scaled to tray size), starting in `starting`. */
export function createStatusTray(iconPath: string, actions: TrayActions, hooks: TradingTrayHooks = {}): StatusTray {
  const icon = nativeImage.createFromPath(iconPath);
  const tray = new Tray(icon.isEmpty() ? icon : icon.resize({ width: 16, height: 16 }));
  const setState = (state: ConnectionState): void => {
    tray.setToolTip(`Workstation — ${CONNECTION_LABELS[state].toLowerCase()}`);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(state, actions, hooks)));
  };
  setState("starting");
  return { setState, destroy: () => tray.destroy() };
}
