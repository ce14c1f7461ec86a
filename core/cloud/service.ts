/**
 * Cloud sync inside core: one round at a time (on demand, or every few minutes in the background
 * when the trader turned sync on), off the UI's path — the API call returns when the round does,
 * and the background timer never overlaps a running round. Background rounds need the data key
 * without a prompt, so they run only when the session is in the OS keychain. Pulled alert rules
 * pass the running alerts service's validation, and it picks up the rules a round changed.
 */
import type Database from "better-sqlite3";
import type { AlertRule } from "../../common/alerts/types.ts";
import type { CloudDeviceView, CloudStatus, SyncResultView } from "../../common/api/cloud.ts";
import { ApiError, type ApiErrorCode } from "../../common/api/index.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { Logger } from "../log.ts";
import { accountStatus, updateAccount } from "./local-account.ts";
import { CloudHttpError } from "./http.ts";
import { CloudSession, NotLoggedInError, login, signup, type CloudDeps } from "./session.ts";
import { syncOnce } from "./sync.ts";

/** The running alerts service, as sync needs it: pulled rules pass its validation and it picks up what a round changed. */
export interface SyncedAlerts {
  validate(raw: unknown): AlertRule;
  reload(ids: readonly string[]): void;
}

/** Options of a {@link CloudSyncService}. */
export interface CloudSyncOptions {
  env?: NodeJS.ProcessEnv;
  intervalMs?: number;
  alerts?: SyncedAlerts;
}

/** How often background sync runs. */
export const BACKGROUND_SYNC_MS = 5 * 60_000;

/** Core's cloud sync service. */
export class CloudSyncService {
  private readonly db: () => Database.Database;
  private readonly log: Logger;
  private readonly env: NodeJS.ProcessEnv;
  private running: Promise<SyncResultView> | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly alerts: SyncedAlerts | undefined;

  constructor(db: () => Database.Database, log: Logger, options: CloudSyncOptions = {}) {
    this.db = db;
    this.log = log;
    this.env = options.env ?? process.env;
    this.alerts = options.alerts;
    this.timer = setInterval(() => void this.background(), options.intervalMs ?? BACKGROUND_SYNC_MS);
    this.timer.unref();
  }

  /** The account and sync state. */
  status(): CloudStatus & { syncing: boolean; lastError: string | null } {
    return { ...accountStatus(this.db()), syncing: this.running !== null, lastError: this.lastError };
  }

  /** Runs one round (joins the running one, if any). */
  sync(password?: string): Promise<SyncResultView> {
    this.running ??= this.round(password).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(password?: string): Promise<SyncResultView> {
    try {
      const session = await CloudSession.open(this.deps(password));
      const alerts = this.alerts;
      const result = await syncOnce(this.db(), session, {
        warn: (line) => this.log.warn(line),
        ...(alerts && { validateAlertRule: (raw: unknown) => alerts.validate(raw), alertRulesChanged: (ids: string[]) => alerts.reload(ids) }),
      });
      this.lastError = null;
      return result;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  private async background(): Promise<void> {
    const s = accountStatus(this.db());
    if (!s.loggedIn || !s.syncEnabled || !s.keychain || this.running) return;
    await this.sync().catch((err: Error) => this.log.warn({ err: err.message }, "background sync failed"));
  }

  private deps(password?: string): CloudDeps {
    const env = this.env;
    return {
      db: this.db(),
      env,
      password: async () => {
        const p = password ?? env.WORKSTATION_PASSWORD;
        if (!p) throw new Error("no password: this device keeps no key without an OS keychain; give the password");
        return p;
      },
    };
  }

  /** Creates an account and signs this device in; returns the recovery key (kept nowhere). */
  async signup(server: string, email: string, password: string): Promise<{ recoveryKey: string; status: CloudStatus }> {
    const recoveryKey = await signup(this.deps(password), server, email);
    return { recoveryKey, status: accountStatus(this.db()) };
  }

  /** Signs this device in. */
  async login(server: string, email: string, password: string): Promise<CloudStatus> {
    await login(this.deps(password), server, email);
    return accountStatus(this.db());
  }

  /** Signs this device out (waits for a running round first). */
  async logout(): Promise<CloudStatus> {
    await this.running?.catch(() => undefined);
    await (await CloudSession.open(this.deps())).logout();
    return accountStatus(this.db());
  }

  /** The account's signed-in devices. */
  async devices(): Promise<CloudDeviceView[]> {
    return (await CloudSession.open(this.deps())).request<CloudDeviceView[]>("GET", "/v1/devices");
  }

  /** Revokes a device; returns the remaining ones. */
  async revoke(id: string): Promise<CloudDeviceView[]> {
    await (await CloudSession.open(this.deps())).request("DELETE", `/v1/devices/${encodeURIComponent(id)}`);
    return this.devices();
  }

  /** Turns background sync on or off. */
  setEnabled(enabled: boolean): CloudStatus {
    if (!accountStatus(this.db()).loggedIn) throw new NotLoggedInError("not logged in: run workstation account login --server URL --email E");
    updateAccount(this.db(), { syncEnabled: enabled });
    if (enabled) void this.background();
    return accountStatus(this.db());
  }

  /** Stops the background timer and waits for a running round. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}

/** The API code of a cloud service's HTTP status. */
function httpCode(status: number): ApiErrorCode {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  return status < 500 ? "bad_request" : "unavailable";
}

/** Runs a cloud call; no account signed in and the service's refusals become coded API errors with their message. */
async function coded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NotLoggedInError) throw new ApiError("unauthorized", err.message);
    if (err instanceof CloudHttpError) throw new ApiError(httpCode(err.status), err.message);
    throw err;
  }
}

/** The `cloud.*` handlers. */
export function cloudHandlers(
  service: CloudSyncService,
): PartialHandlers<"cloud.status" | "cloud.sync" | "cloud.setSyncEnabled" | "cloud.signup" | "cloud.login" | "cloud.logout" | "cloud.devices" | "cloud.revokeDevice"> {
  return {
    "cloud.signup": (p) => coded(() => service.signup(p.server, p.email, p.password)),
    "cloud.login": (p) => coded(() => service.login(p.server, p.email, p.password)),
    "cloud.logout": () => coded(() => service.logout()),
    "cloud.devices": () => coded(() => service.devices()),
    "cloud.revokeDevice": (p) => coded(() => service.revoke(p.id)),
    "cloud.status": () => service.status(),
    "cloud.sync": (params) => coded(() => service.sync(params.password)),
    "cloud.setSyncEnabled": (params) => coded(() => service.setEnabled(params.enabled)),
  };
}
