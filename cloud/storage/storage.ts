/**
 * The one small storage interface the service runs on, with two implementations: SQLite (the
 * embedded default, `sqlite.ts`) and PostgreSQL (`postgres.ts`). Each applies the numbered SQL
 * files of its own folder under `migrations/` at open. Everything here is opaque to the service:
 * accounts hold a hash of the login secret and wrapped keys; records hold ciphertext.
 */
import fs from "node:fs";
import path from "node:path";
import type { DeviceInfo, KdfParams, PullResponse, PushResponse, WireRecord, WrappedKeys } from "../../common/cloud/protocol.ts";

/** An account row. */
export interface AccountRow {
  id: string;
  email: string;
  salt: string;
  kdf: KdfParams;
  authHash: string;
  /** Argon2id hash of the recovery secret (derived from the recovery key on the desktop). */
  recoveryHash: string;
  wrappedKeys: WrappedKeys;
  createdAt: number;
}

/** What presenting a refresh token found. */
export type RefreshUse =
  | { status: "ok"; deviceId: string; accountId: string }
  /** Already used once: the whole family (the device's session) is now revoked. */
  | { status: "reused" }
  | { status: "invalid" };

/** A new password's material: the data key is re-wrapped, nothing else changes. */
export interface PasswordUpdate {
  salt: string;
  kdf: KdfParams;
  authHash: string;
  wrappedKeys: WrappedKeys;
}

/** The email is taken. */
export class DuplicateEmailError extends Error {
  override name = "DuplicateEmailError";
}

/** The service's storage. */
export interface CloudStorage {
  /** A value kept in the store itself (the server secret), created by `make` on first use. */
  metaValue(key: string, make: () => string): Promise<string>;
  createAccount(row: AccountRow): Promise<void>;
  accountByEmail(email: string): Promise<AccountRow | null>;
  accountById(id: string): Promise<AccountRow | null>;
  updatePassword(accountId: string, update: PasswordUpdate): Promise<void>;
  /** Revokes every device of the account (after a recovery). */
  revokeAllDevices(accountId: string, now: number): Promise<void>;
  /** Deletes the account and everything under it. */
  deleteAccount(accountId: string): Promise<void>;
  createDevice(accountId: string, deviceId: string, name: string, now: number): Promise<void>;
  /** Whether a device is signed in (not revoked); touches its last-seen time. */
  deviceActive(accountId: string, deviceId: string, now: number): Promise<boolean>;
  listDevices(accountId: string): Promise<Omit<DeviceInfo, "current">[]>;
  /** Revokes a device and every refresh token of its family; false when it is not the account's. */
  revokeDevice(accountId: string, deviceId: string, now: number): Promise<boolean>;
  addRefreshToken(hash: string, deviceId: string, expiresAt: number): Promise<void>;
  /** Marks a refresh token used, atomically; a second use revokes the family. */
  useRefreshToken(hash: string, now: number): Promise<RefreshUse>;
  /** Stores each record whose version is exactly the stored one + 1; the rest are conflicts. */
  pushRecords(accountId: string, records: readonly WireRecord[], now: number): Promise<PushResponse>;
  /** Records changed after `since`, in change order. */
  pullRecords(accountId: string, since: number, limit: number): Promise<PullResponse>;
  close(): Promise<void>;
}

/** The SQL files of one dialect's migrations folder, in order. */
export function migrationFiles(dialect: "sqlite" | "postgres"): { version: number; sql: string }[] {
  const dir = path.join(import.meta.dirname, "migrations", dialect);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}-.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), sql: fs.readFileSync(path.join(dir, f), "utf8") }));
}

/** Parses a stored account row's JSON columns. */
export function accountFromRow(r: { id: string; email: string; salt: string; kdf: string; auth_hash: string; recovery_hash: string; wrapped_keys: string; created_at: number | string }): AccountRow {
  return {
    id: r.id, email: r.email, salt: r.salt, kdf: JSON.parse(r.kdf) as KdfParams, authHash: r.auth_hash, recoveryHash: r.recovery_hash,
    wrappedKeys: JSON.parse(r.wrapped_keys) as WrappedKeys, createdAt: Number(r.created_at),
  };
}
