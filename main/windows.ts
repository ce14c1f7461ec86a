/**
 * Workstation windows: each loads core's URL with context isolation, sandbox and no node
 * integration, at the restored placement; the guards in security.ts keep it on core and send
 * well-formed external http(s) links to the system browser.
 */
import path from "node:path";
import { BrowserWindow, shell, type BrowserWindowConstructorOptions } from "electron";
import { guardWebContents } from "./security.ts";
import { MIN_SIZE, type WindowPlacement } from "./window-state.ts";

/** The preload bridge as electron-vite builds it (sandboxed preloads are CommonJS). */
export const PRELOAD_PATH = path.join(import.meta.dirname, "../preload/index.cjs");

/** The BrowserWindow options of a workstation window at a placement. */
export function windowOptions(placement: WindowPlacement, preload: string = PRELOAD_PATH): BrowserWindowConstructorOptions {
  return {
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    width: placement.width,
    height: placement.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    backgroundColor: "#0e1117",
    title: "Workstation",
    webPreferences: {
      preload,
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
    },
  };
}

/** Opens a new window on core's URL at `placement`. */
export function createWorkstationWindow(coreUrl: string, placement: WindowPlacement): BrowserWindow {
  const win = new BrowserWindow(windowOptions(placement));
  guardWebContents(win.webContents, new URL(coreUrl).origin, (url) => void shell.openExternal(url));
  if (placement.maximized) win.maximize();
  void win.loadURL(coreUrl);
  return win;
}

/** Brings a window to the front: restored if minimized, shown, focused. */
export function focusWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
