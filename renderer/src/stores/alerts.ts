/**
 * Alerts in the UI: the rules and the fire log from core (`alerts.*`), kept current by the
 * `alerts.fires` stream, and in browser mode a notification for each new fire (Web Notifications,
 * tagged per rule so a rule's fires replace each other rather than stack; the desktop app's main
 * process shows native ones), plus a short in-app beep unless the "Alert sound" setting is off.
 */
import { create } from "zustand";
import type { AlertLogEntry, AlertRuleRow } from "../../../common/api/alerts.ts";
import { notificationOf } from "../alerts/alert-rules.ts";
import { desktopBridge } from "../bridge.ts";
import { playAlertBeep } from "../alerts/sound.ts";
import { api } from "./connection.ts";
import { useSettings } from "./settings.ts";

interface AlertsStore {
  rules: AlertRuleRow[];
  log: AlertLogEntry[];
  error: string | null;
  /** Reads rules and the log again. */
  refresh(): Promise<void>;
  /** Adds (or, with an existing id, replaces) a rule; resolves with the error message, or null. */
  add(rule: unknown): Promise<string | null>;
  setPaused(id: string, paused: boolean): Promise<void>;
  remove(id: string): Promise<void>;
}

const LOG_LIMIT = 500;

async function guard(set: (s: Partial<AlertsStore>) => void, op: () => Promise<void>): Promise<string | null> {
  try {
    await op();
    set({ error: null });
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    set({ error: message });
    return message;
  }
}

/** The alerts store. */
export const useAlerts = create<AlertsStore>((set, get) => ({
  rules: [],
  log: [],
  error: null,
  refresh: async () => {
    await guard(set, async () => {
      const [rules, log] = await Promise.all([api.call("alerts.list", {}), api.call("alerts.log", { limit: LOG_LIMIT })]);
      set({ rules, log });
    });
  },
  add: async (rule) => guard(set, async () => {
    await api.call("alerts.add", { rule });
    await get().refresh();
  }),
  setPaused: async (id, paused) => {
    await guard(set, async () => {
      const row = await api.call("alerts.pause", { id, paused });
      set({ rules: get().rules.map((r) => (r.rule.id === id ? row : r)) });
    });
  },
  remove: async (id) => {
    await guard(set, async () => {
      await api.call("alerts.remove", { id });
      set({ rules: get().rules.filter((r) => r.rule.id !== id) });
    });
  },
}));

/** Asks once for permission to show notifications (browsers want a user gesture: call from a click). */
export function askNotificationPermission(): void {
  if (typeof Notification !== "undefined" && Notification.permission === "default") void Notification.requestPermission();
}

function showNotification(entry: AlertLogEntry): void {
  // The desktop app's main process shows fires as native notifications, windows open or not.
  if (desktopBridge()) return;
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  const { title, body, tag } = notificationOf(entry);
  new Notification(title, { body, tag });
}

let rulesTimer: ReturnType<typeof setTimeout> | null = null;

/** Reads the rules again soon (once for a burst of fires): a rule may have paused itself or be done. */
function refreshRulesSoon(): void {
  if (rulesTimer !== null) return;
  rulesTimer = setTimeout(() => {
    rulesTimer = null;
    void api.call("alerts.list", {}).then((rules) => useAlerts.setState({ rules }), () => undefined);
  }, 1000);
}

function onFire(entry: AlertLogEntry): void {
  useAlerts.setState((s) => ({ log: [entry, ...s.log].slice(0, LOG_LIMIT) }));
  showNotification(entry);
  if (useSettings.getState().settings.alertSound) playAlertBeep();
  refreshRulesSoon();
}

api.subscribe("alerts.fires", {}, { onEvent: onFire });
void useAlerts.getState().refresh();
