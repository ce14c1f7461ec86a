/**
 * Alert fires as native notifications from main: main keeps its own API connection to core and
 * shows each new fire of the `alerts.fires` stream, independent of any window (on macOS the app
 * runs on with every window closed, and core keeps evaluating). It reconnects with core after a
 * supervised restart (same port and token). Windows of the desktop app leave notifications to main.
 */
import WebSocket from "ws";
import { ApiClient, type SocketLike } from "../common/api/client.ts";
import type { AlertLogEntry } from "../common/api/alerts.ts";
import type { DesktopAlert } from "./notifications.ts";

/** What the OS shows for a fire. */
export function alertNotification(entry: AlertLogEntry): DesktopAlert {
  const late = entry.lateMs === null ? "" : ` (late ${Math.round(entry.lateMs / 1000)} s)`;
  return { title: `Alert: ${entry.rule}`, body: `${entry.message}${late}` };
}

/** Shows every new fire of core at `url` (with `token`) through `show`; returns the function that stops it. */
export function watchAlerts(url: string, token: string, show: (alert: DesktopAlert) => void): () => void {
  const port = new URL(url).port;
  const client = new ApiClient({
    connect: () => new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } }) as unknown as SocketLike,
    reconnect: { minDelayMs: 500, maxDelayMs: 5000 },
  });
  const off = client.subscribe("alerts.fires", {}, { onEvent: (entry) => show(alertNotification(entry)) });
  return () => {
    off();
    client.close();
  };
}
