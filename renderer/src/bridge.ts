/** What the desktop preload exposes on `window.workstation`; absent in browser mode. */
export interface DesktopBridge {
  platform: "desktop";
  /** The core URL (with token) and the token itself. */
  core(): Promise<{ url: string; token: string }>;
  /** Opens an http(s) link in the system browser (allow-listed in main). */
  openExternal(url: string): Promise<void>;
  /** Opens another workstation window on the same core. */
  newWindow(): Promise<void>;
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

/** Opens another window on the same core: a BrowserWindow on desktop, a chart window (`?view=chart`) in a tab in browser mode. */
export function openNewWindow(): void {
  const bridge = desktopBridge();
  if (bridge) void bridge.newWindow();
  else window.open(`${window.location.origin}${window.location.pathname}?view=chart`, "_blank", "noopener");
}
