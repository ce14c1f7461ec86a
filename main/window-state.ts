/**
 * The window's size, position and maximized state, kept in a JSON file in the user data dir and
 * restored on the next launch. A saved position is used only where its title bar lands on one of
 * today's displays (a monitor may be gone); a missing, unreadable or malformed file means defaults.
 */
import fs from "node:fs";
import path from "node:path";
import type { Rectangle } from "electron";

/** What is saved: the normal (unmaximized) bounds and whether the window was maximized. */
export interface WindowState {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** Where a new window goes: a size, a position when one is known (else the OS centres it), maximized or not. */
export interface WindowPlacement {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

/** The file name in the user data dir. */
export const WINDOW_STATE_FILE = "window-state.json";
/** Size of a first window. */
export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
/** The smallest window the layout works in (also BrowserWindow's minimum). */
export const MIN_SIZE = { width: 640, height: 400 } as const;
/** How much of the title bar must be on a display for the saved position to count. */
const TITLE_BAR = { width: 120, height: 32 } as const;

function isCoordinate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) < 1e6;
}

/** The saved state in `text`, or null when it is not valid JSON of the right shape. */
export function parseWindowState(text: string): WindowState | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { x, y, width, height, maximized } = value as Record<string, unknown>;
  if (!isCoordinate(x) || !isCoordinate(y) || !isCoordinate(width) || !isCoordinate(height)) return null;
  if (width < MIN_SIZE.width || height < MIN_SIZE.height) return null;
  return { x, y, width, height, maximized: maximized === true };
}

/** Reads the saved state from `file`; null when it is missing or invalid. */
export function readWindowState(file: string): WindowState | null {
  try {
    return parseWindowState(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Writes the state atomically (temp file, then rename); an error is reported, never thrown. */
export function writeWindowState(file: string, state: WindowState, onError: (error: Error) => void = () => undefined): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, `${JSON.stringify(state)}\n`);
    fs.renameSync(temp, file);
  } catch (error) {
    onError(error as Error);
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Nothing was written where the temp file would be.
    }
  }
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** The work area that holds the title bar of `state`, if any. */
function areaHoldingTitleBar(state: WindowState, workAreas: readonly Rectangle[]): Rectangle | undefined {
  const titleBar = { x: state.x, y: state.y, width: state.width, height: TITLE_BAR.height };
  return workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= TITLE_BAR.width && o.height >= TITLE_BAR.height;
  });
}

/**
 * Where to open a window given the saved state and the displays' work areas (the first is the
 * primary): the saved bounds when the title bar is on a display (size clamped to it), else the
 * default size clamped to the primary display and no position.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rectangle[]): WindowPlacement {
  const area = saved ? areaHoldingTitleBar(saved, workAreas) : undefined;
  if (saved && area) {
    const width = Math.min(saved.width, area.width);
    const height = Math.min(saved.height, area.height);
    const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - width);
    const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - height);
    return { x, y, width, height, maximized: saved.maximized };
  }
  const primary = workAreas[0];
  const width = primary ? Math.max(MIN_SIZE.width, Math.min(DEFAULT_SIZE.width, primary.width)) : DEFAULT_SIZE.width;
  const height = primary ? Math.max(MIN_SIZE.height, Math.min(DEFAULT_SIZE.height, primary.height)) : DEFAULT_SIZE.height;
  return { width, height, maximized: saved?.maximized ?? false };
}

/** The part of a BrowserWindow this module reads when saving. */
export interface StatefulWindow {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  on(event: "close", listener: () => void): unknown;
}

/** Saves the window's state to `file` when it closes. */
export function rememberWindowState(win: StatefulWindow, file: string, onError?: (error: Error) => void): void {
  win.on("close", () => writeWindowState(file, { ...win.getNormalBounds(), maximized: win.isMaximized() }, onError));
}
