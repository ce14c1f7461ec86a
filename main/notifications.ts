/**
 * Native notifications for alerts. Windows shows a notification only for an app with an
 * Application User Model ID that matches its Start-menu shortcut, so the app sets the same id
 * electron-builder gives the installed app (`appId` in electron-builder.yml).
 */
import { Notification, type App } from "electron";

/** The app's id: electron-builder.yml's `appId` and Windows' AppUserModelID. */
export const APP_ID = "org.workstation.desktop";

/** Sets the app's id so Windows attributes (and shows) its notifications; call before the first one. */
export function registerAppId(app: Pick<App, "setAppUserModelId">): void {
  app.setAppUserModelId(APP_ID);
}

/** One alert as the OS shows it. */
export interface DesktopAlert {
  title: string;
  body: string;
  /** No sound. */
  silent?: boolean;
}

/**
 * Shows an alert as a native notification; `onClick` runs when the user clicks it. Returns null
 * where the OS has no notifications.
 */
export function showNotification(alert: DesktopAlert, onClick?: () => void): Notification | null {
  if (!Notification.isSupported()) return null;
  const notification = new Notification({ title: alert.title, body: alert.body, silent: alert.silent ?? false });
  if (onClick) notification.on("click", onClick);
  notification.show();
  return notification;
}
