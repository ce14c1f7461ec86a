/**
 * Electron main: app lifecycle, menus, windows, and the core supervisor. The only code that
 * imports `electron`. Core runs as a separate Node process (see core-supervisor.ts for why).
 */
import { BrowserWindow, Menu, Notification, app, ipcMain, shell } from "electron";
import { CoreSupervisor } from "./core-supervisor.ts";
import { coreLaunch } from "./paths.ts";
import { createWorkstationWindow, isExternalAllowed } from "./windows.ts";

const supervisor = new CoreSupervisor(coreLaunch(), process.env.WORKSTATION_DATA_DIR);

function newWindow(): void {
  if (supervisor.url) createWorkstationWindow(supervisor.url);
}

function buildMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === "darwin" ? [{ role: "appMenu" as const }] : []),
    { label: "File", submenu: [{ label: "New Window", accelerator: "CmdOrCtrl+N", click: newWindow }, { type: "separator" }, { role: "quit" }] },
    { role: "editMenu" },
    { label: "View", submenu: [{ role: "reload" }, { role: "toggleDevTools" }, { type: "separator" }, { role: "togglefullscreen" }] },
    { role: "windowMenu" },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function notify(body: string): void {
  if (Notification.isSupported()) new Notification({ title: "Workstation", body }).show();
}

ipcMain.handle("workstation:core", () => ({ url: supervisor.url, token: supervisor.coreToken }));
ipcMain.handle("workstation:new-window", () => newWindow());
ipcMain.handle("workstation:open-external", (_event, url: unknown) => {
  if (typeof url === "string" && isExternalAllowed(url)) return shell.openExternal(url);
  throw new Error("link not allowed");
});

supervisor.on("died", (code: number | null, signal: string | null) => notify(`Core stopped (${signal ?? `code ${code}`}); restarting…`));
supervisor.on("restarted", () => notify("Core is back."));

app.whenReady().then(async () => {
  buildMenu();
  await supervisor.start();
  newWindow();
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) newWindow();
  });
});

app.on("window-all-closed", () => {
  if (process.platform !== "darwin") app.quit();
});

let stopping = false;
app.on("before-quit", (event) => {
  if (stopping) return;
  stopping = true;
  event.preventDefault();
  void supervisor.stop().finally(() => app.quit());
});
