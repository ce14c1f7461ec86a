/**
 * The bridge object the preload exposes as `window.workstation`: the platform tag and three calls,
 * each invoking one allow-listed channel with only its own argument. Nothing of ipcRenderer or
 * Electron leaks through it.
 */
import type { IpcRenderer } from "electron";

/** The channels the bridge invokes (main/ipc.ts handles exactly these). */
export const BRIDGE_CHANNELS = {
  core: "workstation:core",
  newWindow: "workstation:new-window",
  openExternal: "workstation:open-external",
} as const;

/** What `window.workstation` holds in the desktop app. */
export interface WorkstationBridge {
  readonly platform: "desktop";
  core(): Promise<{ url: string; token: string }>;
  openExternal(url: string): Promise<void>;
  newWindow(view?: "chart" | "editor"): Promise<void>;
}

/** Builds the (frozen) bridge over `invoke`. */
export function createBridge(ipc: Pick<IpcRenderer, "invoke">): WorkstationBridge {
  return Object.freeze({
    platform: "desktop" as const,
    core: (): Promise<{ url: string; token: string }> => ipc.invoke(BRIDGE_CHANNELS.core),
    openExternal: (url: string): Promise<void> => ipc.invoke(BRIDGE_CHANNELS.openExternal, String(url)),
    newWindow: (view?: unknown): Promise<void> => (view === "chart" || view === "editor" ? ipc.invoke(BRIDGE_CHANNELS.newWindow, view) : ipc.invoke(BRIDGE_CHANNELS.newWindow)),
  });
}
