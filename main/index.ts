/**
 * Electron main: app lifecycle, menus, windows, the tray and the core supervisor. The only code
 * that imports `electron`. Core runs as a separate Node process (see core-supervisor.ts for why).
 * One instance per user (a second launch focuses the first); windows reopen where they were; every
 * quit passes the quit guard. WORKSTATION_USER_DATA_DIR moves Electron's user data (tests, profiles).
 */
import path from "node:path";
import { BrowserWindow, Menu, app, dialog, ipcMain, screen, session, shell } from "electron";
import { watchAlerts } from "./alert-notifications.ts";
import { CoreSupervisor } from "./core-supervisor.ts";
import { registerBridge } from "./ipc.ts";
import { registerAppId, showNotification } from "./notifications.ts";
import { coreLaunch } from "./paths.ts";
import { confirmQuitWhileRunning, installQuitGuard, strategiesRunning } from "./quit-guard.ts";
import { hardenSession } from "./security.ts";
import { claimSingleInstance } from "./single-instance.ts";
import { createStatusTray, watchConnection, type StatusTray } from "./tray.ts";
import { WINDOW_STATE_FILE, placeWindow, readWindowState, rememberWindowState } from "./window-state.ts";
import { createWorkstationWindow, focusWindow } from "./windows.ts";

if (process.env.WORKSTATION_USER_DATA_DIR) app.setPath("userData", process.env.WORKSTATION_USER_DATA_DIR);

const supervisor = new CoreSupervisor(coreLaunch(), process.env.WORKSTATION_DATA_DIR);
let tray: StatusTray | null = null;

function warn(what: string, error: unknown): void {
  console.warn(`[workstation] ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

function windowStateFile(): string {
  return path.join(app.getPath("userData"), WINDOW_STATE_FILE);
}

/** Opens a window on core: the first where the last one closed, later ones at its size. */
function newWindow(): void {
  if (!supervisor.url) return;
  const primary = screen.getPrimaryDisplay();
  const areas = [primary.workArea, ...screen.getAllDisplays().filter((d) => d.id !== primary.id).map((d) => d.workArea)];
  const placement = placeWindow(readWindowState(windowStateFile()), areas);
  const first = BrowserWindow.getAllWindows().length === 0;
  const win = createWorkstationWindow(supervisor.url, first ? placement : { width: placement.width, height: placement.height, maximized: false });
  rememberWindowState(win, windowStateFile(), (error) => warn("could not save the window's position", error));
}

function showWorkstation(): void {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) focusWindow(win);
  else newWindow();
}

function notify(body: string): void {
  showNotification({ title: "Workstation", body }, showWorkstation);
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

function startTray(): void {
  try {
    tray = createStatusTray(path.join(app.getAppPath(), "resources", "icon.png"), { show: showWorkstation, quit: () => app.quit() });
    watchConnection(supervisor, (state) => tray?.setState(state));
  } catch (error) {
    warn("no tray item", error);
  }
}

function wireApp(): void {
  registerAppId(app);
  registerBridge(ipcMain, () => (supervisor.url ? new URL(supervisor.url).origin : ""), {
    core: () => ({ url: supervisor.url, token: supervisor.coreToken }),
    newWindow,
    openExternal: (url) => shell.openExternal(url),
  });
  supervisor.on("died", (code: number | null, signal: string | null) => notify(`Core stopped (${signal ?? `code ${code}`}); restarting…`));
  supervisor.on("restarted", () => notify("Core is back."));
  installQuitGuard({
    app,
    running: strategiesRunning,
    confirm: () => confirmQuitWhileRunning(BrowserWindow.getFocusedWindow() ?? undefined),
    stop: () => supervisor.stop(),
    onError: (error) => warn("while quitting", error),
  });
  app.on("window-all-closed", () => {
    if (process.platform !== "darwin") app.quit();
  });
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) newWindow();
  });
}

async function startDesktop(): Promise<void> {
  wireApp();
  await app.whenReady();
  buildMenu();
  startTray();
  let url: string;
  try {
    url = await supervisor.start();
  } catch (error) {
    tray?.setState("stopped");
    dialog.showErrorBox("Workstation could not start core", error instanceof Error ? error.message : String(error));
    app.quit();
    return;
  }
  hardenSession(session.defaultSession, new URL(url).origin);
  watchAlerts(url, supervisor.coreToken, (alert) => showNotification(alert, showWorkstation));
  newWindow();
}

if (claimSingleInstance(app, showWorkstation)) void startDesktop();
