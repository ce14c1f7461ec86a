/**
 * A fake `electron` module for main/ unit tests, installed with
 * `vi.mock("electron", async () => (await import("./fake-electron.ts")).fakeElectron)`. It records
 * what main asks of Electron (window options, handlers, notifications, tray menus) so tests can
 * assert it and fire Electron's events by hand. Test-only: nothing in the app imports it.
 */
import { EventEmitter } from "node:events";
import { vi } from "vitest";

/** A cancellable Electron event. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** Fires an Electron-style event with a fresh FakeEvent first; true when a listener cancelled it. */
export function fire(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = new FakeEvent();
  emitter.emit(name, event, ...args);
  return event.defaultPrevented;
}

type OpenHandler = (details: { url: string }) => { action: "allow" | "deny" };

/** A window's web contents: keeps its window-open handler. */
export class FakeWebContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
}

interface FakeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A BrowserWindow: keeps its options and state; `close()` fires `close` like Electron's. */
export class FakeBrowserWindow extends EventEmitter {
  static windows: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.windows.filter((win) => !win.closed);
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.getAllWindows().find((win) => win.focused) ?? null;
  }
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, unknown>;
  bounds: FakeRect;
  loadedUrl = "";
  maximized = false;
  minimized = false;
  focused = false;
  closed = false;

  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    const number = (key: string, fallback: number): number => (typeof options[key] === "number" ? (options[key] as number) : fallback);
    this.bounds = { x: number("x", 0), y: number("y", 0), width: number("width", 800), height: number("height", 600) };
    FakeBrowserWindow.windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  getNormalBounds(): FakeRect {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
    this.focused = false;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {}
  focus(): void {
    this.focused = true;
  }
  close(): void {
    this.emit("close", new FakeEvent());
    this.closed = true;
  }
}

/** A Notification: `shown` lists every one shown; `supported` switches the OS's support. */
export class FakeNotification extends EventEmitter {
  static supported = true;
  static shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  readonly options: Record<string, unknown>;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

/** A menu built from a template: keeps the template. */
export interface FakeMenu {
  items: Record<string, unknown>[];
}

/** A tray item: keeps its icon, tooltip and menu. */
export class FakeTray {
  static trays: FakeTray[] = [];
  readonly icon: unknown;
  toolTip = "";
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(icon: unknown) {
    this.icon = icon;
    FakeTray.trays.push(this);
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** A native image from a path; empty when the path is empty. */
function fakeImage(file: string, size?: { width: number; height: number }): unknown {
  return {
    file,
    size,
    isEmpty: () => file === "",
    resize: (to: { width: number; height: number }) => fakeImage(file, to),
  };
}

/** The app: an EventEmitter with the calls main makes; `lockHeld` is what requestSingleInstanceLock answers. */
const app = Object.assign(new EventEmitter(), {
  lockHeld: true,
  isPackaged: false,
  requestSingleInstanceLock: vi.fn((): boolean => app.lockHeld),
  setAppUserModelId: vi.fn(),
  setPath: vi.fn(),
  getPath: vi.fn((): string => "/fake/user-data"),
  getAppPath: vi.fn((): string => "/fake/app"),
  quit: vi.fn(),
  exit: vi.fn(),
  whenReady: vi.fn((): Promise<void> => new Promise<void>(() => undefined)),
});

/** The fake module. */
export const fakeElectron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  Notification: FakeNotification,
  Tray: FakeTray,
  Menu: { buildFromTemplate: (items: Record<string, unknown>[]): FakeMenu => ({ items }), setApplicationMenu: vi.fn() },
  nativeImage: { createFromPath: (file: string) => fakeImage(file) },
  shell: { openExternal: vi.fn(async (_url: string) => undefined) },
  dialog: { showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 1, checkboxChecked: false })), showErrorBox: vi.fn() },
  ipcMain: { handle: vi.fn() },
  screen: { getAllDisplays: vi.fn(() => []), getPrimaryDisplay: vi.fn() },
  session: { defaultSession: {} },
};
