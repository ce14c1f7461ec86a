/**
 * This device's cloud account as kept in the app database (`cloud_account`, one row): the server,
 * email, ids, the salt and parameters, the data key wrapped by the password (never unwrapped on
 * disk), the sync cursor and clock. The refresh token (and, when there is an OS keychain, the data
 * key) live in the keychain instead; without one the refresh token is in this owner-only file and
 * the data key is re-derived from the password when needed.
 */
import type Database from "better-sqlite3";
import type { CloudStatus } from "../../common/api/cloud.ts";
import type { KdfParams } from "../../common/cloud/protocol.ts";

/** The stored account row. */
export interface LocalAccount {
  server: string;
  email: string;
  accountId: string;
  deviceId: string;
  salt: string;
  kdf: KdfParams;
  keyId: string;
  wrappedKey: string;
  /** Whether the refresh token and data key are in the OS keychain. */
  keychain: boolean;
  refreshToken: string | null;
  cursor: number;
  clock: string;
  syncEnabled: boolean;
  lastSyncAt: number | null;
  lastConflicts: number;
}

interface Row {
  server: string;
  email: string;
  account_id: string;
  device_id: string;
  salt: string;
  kdf: string;
  key_id: string;
  wrapped_key: string;
  keychain: number;
  refresh_token: string | null;
  cursor: number;
  clock: string;
  sync_enabled: number;
  last_sync_at: number | null;
  last_conflicts: number;
}

/** The signed-in account, or null. */
export function readAccount(db: Database.Database): LocalAccount | null {
  const r = db.prepare<[], Row>("SELECT * FROM cloud_account WHERE id = 1").get();
  if (!r) return null;
  return {
    server: r.server, email: r.email, accountId: r.account_id, deviceId: r.device_id, salt: r.salt, kdf: JSON.parse(r.kdf) as KdfParams,
    keyId: r.key_id, wrappedKey: r.wrapped_key, keychain: r.keychain === 1, refreshToken: r.refresh_token, cursor: r.cursor, clock: r.clock,
    syncEnabled: r.sync_enabled === 1, lastSyncAt: r.last_sync_at, lastConflicts: r.last_conflicts,
  };
}

/** Drops the account row and everything sync kept about its records (synced versions, records kept aside). */
function forgetSyncState(db: Database.Database): void {
  for (const table of ["cloud_account", "sync_records", "sync_deferred", "alert_rules_deferred"]) db.prepare(`DELETE FROM ${table}`).run();
}

/** Replaces the signed-in account (a new login starts the sync state afresh). */
export function writeAccount(db: Database.Database, a: LocalAccount): void {
  db.transaction(() => {
    forgetSyncState(db);
    db.prepare(
      `INSERT INTO cloud_account (id, server, email, account_id, device_id, salt, kdf, key_id, wrapped_key, keychain, refresh_token, cursor, clock, sync_enabled)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?)`,
    ).run(a.server, a.email, a.accountId, a.deviceId, a.salt, JSON.stringify(a.kdf), a.keyId, a.wrappedKey, a.keychain ? 1 : 0, a.refreshToken, a.syncEnabled ? 1 : 0);
  })();
}

/** Updates some columns of the account row. */
export function updateAccount(db: Database.Database, patch: Partial<Pick<LocalAccount, "refreshToken" | "cursor" | "clock" | "lastSyncAt" | "lastConflicts" | "salt" | "kdf" | "wrappedKey" | "syncEnabled">>): void {
  const cols: Record<string, unknown> = {};
  if (patch.refreshToken !== undefined) cols.refresh_token = patch.refreshToken;
  if (patch.cursor !== undefined) cols.cursor = patch.cursor;
  if (patch.clock !== undefined) cols.clock = patch.clock;
  if (patch.lastSyncAt !== undefined) cols.last_sync_at = patch.lastSyncAt;
  if (patch.lastConflicts !== undefined) cols.last_conflicts = patch.lastConflicts;
  if (patch.salt !== undefined) cols.salt = patch.salt;
  if (patch.kdf !== undefined) cols.kdf = JSON.stringify(patch.kdf);
  if (patch.wrappedKey !== undefined) cols.wrapped_key = patch.wrappedKey;
  if (patch.syncEnabled !== undefined) cols.sync_enabled = patch.syncEnabled ? 1 : 0;
  const names = Object.keys(cols);
  if (names.length === 0) return;
  db.prepare(`UPDATE cloud_account SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE id = 1`).run(...Object.values(cols));
}

/** Forgets the account and all sync state on this device (local data stays). */
export function clearAccount(db: Database.Database): void {
  db.transaction(() => {
    forgetSyncState(db);
  })();
}

/** The account status of an app database (what `account status --json` prints). */
export function accountStatus(db: Database.Database): CloudStatus {
  const a = readAccount(db);
  return {
    loggedIn: a !== null, server: a?.server ?? null, email: a?.email ?? null, deviceId: a?.deviceId ?? null,
    keychain: a?.keychain ?? false, syncEnabled: a?.syncEnabled ?? false, lastSyncAt: a?.lastSyncAt ?? null, lastConflicts: a?.lastConflicts ?? 0,
  };
}
