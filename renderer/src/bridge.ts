import { viewUrl } from "./app/view.ts";

/** What the desktop preload exposes on `window.workstation`; absent in browser mode. */
export interface DesktopBridge {
  platform: "desktop";
  /** The core URL (with token) and the token itself. */
  core(): Promise<{ url: string; token: string }>;
  /** Opens an http(s) link in the system browser (allow-listed in main). */
  openExternal(url: string): Promise<void>;
  /** Opens another window on the same core: the workstation, a chart window or a detached editor. */
  newWindow(view?: "chart" | "editor"): Promise<void>;
}

declare global {
  interface Window {
    workstation?: DesktopBridge;
  }
}

/** The desktop bridge, or null in a plain browser. */
export function desktopBridge(): DesktopBridge | null {
  return window.workstation ?? null;
}

/** Opens a window of `view` (default a chart window, `?view=chart`) on the same core: a BrowserWindow on desktop, a tab in browser mode. */
export function openNewWindow(view: "chart" | "editor" = "chart"): void {
  const bridge = desktopBridge();
  if (bridge) void bridge.newWindow(view);
  else window.open(viewUrl(window.location.origin + window.location.pathname, view), "_blank", "noopener");
}
