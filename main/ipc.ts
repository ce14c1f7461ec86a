/**
 * Main's side of the preload bridge: handles exactly the bridge's channels, and only for pages on
 * core's origin (the core token must never reach another page).
 */
import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { isCoreUrl, isExternalAllowed } from "./security.ts";

/** The channels the preload bridge invokes (preload/bridge.ts); main handles these and no others. */
export const BRIDGE_CHANNELS = {
  core: "workstation:core",
  newWindow: "workstation:new-window",
  openExternal: "workstation:open-external",
} as const;

/** The views a new window may open besides the whole workstation: a chart window or a detached editor. */
export type WindowView = "chart" | "editor";

/** A view asked for by a page, or undefined (the workstation) for anything else. */
export function windowView(value: unknown): WindowView | undefined {
  return value === "chart" || value === "editor" ? value : undefined;
}

/** What the bridge's calls do. */
export interface BridgeHandlers {
  /** Core's URL (empty before core is up) and token. */
  core(): { url: string; token: string };
  /** Opens a window on core: the workstation, or the view given. */
  newWindow(view?: WindowView): void;
  /** Opens an allowed external link (checked here first). */
  openExternal(url: string): Promise<void>;
}

/** Registers the bridge's handlers; each rejects calls from any page not on `coreOrigin()`. */
export function registerBridge(ipc: Pick<IpcMain, "handle">, coreOrigin: () => string, handlers: BridgeHandlers): void {
  const fromCore = (event: IpcMainInvokeEvent): void => {
    if (!isCoreUrl(event.senderFrame?.url, coreOrigin())) throw new Error("not allowed from this page");
  };
  ipc.handle(BRIDGE_CHANNELS.core, (event) => {
    fromCore(event);
    return handlers.core();
  });
  ipc.handle(BRIDGE_CHANNELS.newWindow, (event, view: unknown) => {
    fromCore(event);
    handlers.newWindow(windowView(view));
  });
  ipc.handle(BRIDGE_CHANNELS.openExternal, (event, url: unknown) => {
    fromCore(event);
    if (typeof url !== "string" || !isExternalAllowed(url)) throw new Error("link not allowed");
    return handlers.openExternal(new URL(url).href);
  });
}
