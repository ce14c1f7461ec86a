/**
 * Workstation windows: each loads core's URL with context isolation, sandbox and no node
 * integration; navigation away from core is blocked and http(s) links open in the system browser.
 */
import path from "node:path";
import { BrowserWindow, shell } from "electron";

/** True for links the app may hand to the system browser. */
export function isExternalAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || (u.protocol === "http:" && u.hostname !== "127.0.0.1" && u.hostname !== "localhost");
  } catch {
    return false;
  }
}

/** Opens a new window on core's URL. */
export function createWorkstationWindow(coreUrl: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    backgroundColor: "#0e1117",
    title: "Workstation",
    webPreferences: {
      preload: path.join(import.meta.dirname, "../preload/index.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const origin = new URL(coreUrl).origin;
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalAllowed(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (event, url) => {
    if (new URL(url).origin !== origin) event.preventDefault();
  });
  void win.loadURL(coreUrl);
  return win;
}
