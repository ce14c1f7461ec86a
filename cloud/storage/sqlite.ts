/** The embedded SQLite store of the service (`cloud.sqlite` in its data directory, WAL mode). */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { PushResponse, WireRecord } from "../../common/cloud/protocol.ts";
import { accountFromRow, DuplicateEmailError, migrationFiles, type AccountRow, type CloudStorage, type PasswordUpdate, type RefreshUse } from "./storage.ts";

type Row = Parameters<typeof accountFromRow>[0];

function migrate(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
  const done = new Set(db.prepare<[], { version: number }>("SELECT version FROM schema_migrations").all().map((r) => r.version));
  for (const m of migrationFiles("sqlite")) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version) VALUES (?)").run(m.version);
    }).immediate();
  }
}

function push(db: Database.Database, accountId: string, records: readonly WireRecord[], now: number): PushResponse {
  const out: PushResponse = { accepted: [], conflicts: [] };
  const current = db.prepare<[string, string], { version: number }>("SELECT version FROM records WHERE account_id = ? AND id = ?");
  const upsert = db.prepare(
    `INSERT INTO records (account_id, id, version, seq, body, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, body = excluded.body, updated_at = excluded.updated_at`,
  );
  let seq = db.prepare<[string], { seq: number }>("SELECT seq FROM accounts WHERE id = ?").get(accountId)?.seq ?? 0;
  for (const r of records) {
    const stored = current.get(accountId, r.id)?.version ?? 0;
    if (r.version !== stored + 1) {
      out.conflicts.push({ id: r.id, version: stored });
      continue;
    }
    seq++;
    upsert.run(accountId, r.id, r.version, seq, r.body, now);
    out.accepted.push({ id: r.id, version: r.version, seq });
  }
  db.prepare("UPDATE accounts SET seq = ? WHERE id = ?").run(seq, accountId);
  return out;
}

function useRefresh(db: Database.Database, hash: string, now: number): RefreshUse {
  const row = db
    .prepare<[string], { device_id: string; account_id: string; expires_at: number; used_at: number | null; revoked_at: number | null }>(
      "SELECT t.device_id, d.account_id, t.expires_at, t.used_at, d.revoked_at FROM refresh_tokens t JOIN devices d ON d.id = t.device_id WHERE t.hash = ?",
    )
    .get(hash);
  if (!row || row.revoked_at !== null || row.expires_at <= now) return { status: "invalid" };
  if (row.used_at !== null) {
    db.prepare("UPDATE devices SET revoked_at = ? WHERE id = ?").run(now, row.device_id);
    db.prepare("DELETE FROM refresh_tokens WHERE device_id = ? AND used_at IS NULL").run(row.device_id);
    return { status: "reused" };
  }
  db.prepare("UPDATE refresh_tokens SET used_at = ? WHERE hash = ?").run(now, hash);
  return { status: "ok", deviceId: row.device_id, accountId: row.account_id };
}

/** Opens (creating and migrating) the SQLite store in `dataDir`. */
export function openSqliteStorage(dataDir: string): CloudStorage {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, "cloud.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  const account = (where: string, value: string): AccountRow | null => {
    const r = db.prepare<[string], Row>(`SELECT * FROM accounts WHERE ${where} = ?`).get(value);
    return r ? accountFromRow(r) : null;
  };
  return {
    metaValue: async (key, make) => {
      db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING").run(key, make());
      return db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?").get(key)!.value;
    },
    createAccount: async (a) => {
      try {
        db.prepare("INSERT INTO accounts (id, email, salt, kdf, auth_hash, recovery_hash, wrapped_keys, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
          a.id, a.email, a.salt, JSON.stringify(a.kdf), a.authHash, a.recoveryHash, JSON.stringify(a.wrappedKeys), a.createdAt,
        );
      } catch (err) {
        if ((err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") throw new DuplicateEmailError("email taken");
        throw err;
      }
    },
    accountByEmail: async (email) => account("email", email),
    accountById: async (id) => account("id", id),
    updatePassword: async (id, u: PasswordUpdate) =>
      void db.prepare("UPDATE accounts SET salt = ?, kdf = ?, auth_hash = ?, wrapped_keys = ? WHERE id = ?").run(u.salt, JSON.stringify(u.kdf), u.authHash, JSON.stringify(u.wrappedKeys), id),
    deleteAccount: async (id) => void db.prepare("DELETE FROM accounts WHERE id = ?").run(id),
    revokeAllDevices: async (id, now) =>
      db.transaction(() => {
        db.prepare("DELETE FROM refresh_tokens WHERE device_id IN (SELECT id FROM devices WHERE account_id = ?)").run(id);
        db.prepare("UPDATE devices SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL").run(now, id);
      })(),
    createDevice: async (accountId, deviceId, name, now) =>
      void db.prepare("INSERT INTO devices (id, account_id, name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)").run(deviceId, accountId, name, now, now),
    deviceActive: async (accountId, deviceId, now) =>
      db.prepare("UPDATE devices SET last_seen_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL").run(now, deviceId, accountId).changes === 1,
    listDevices: async (accountId) =>
      db
        .prepare<[string], { id: string; name: string; created_at: number; last_seen_at: number }>(
          "SELECT id, name, created_at, last_seen_at FROM devices WHERE account_id = ? AND revoked_at IS NULL ORDER BY created_at",
        )
        .all(accountId)
        .map((d) => ({ id: d.id, name: d.name, createdAt: d.created_at, lastSeenAt: d.last_seen_at })),
    revokeDevice: async (accountId, deviceId, now) =>
      db.transaction(() => {
        const changed = db.prepare("UPDATE devices SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL").run(now, deviceId, accountId).changes;
        db.prepare("DELETE FROM refresh_tokens WHERE device_id = ?").run(deviceId);
        return changed === 1;
      })(),
    addRefreshToken: async (hash, deviceId, expiresAt) =>
      void db.prepare("INSERT INTO refresh_tokens (hash, device_id, expires_at) VALUES (?, ?, ?)").run(hash, deviceId, expiresAt),
    useRefreshToken: async (hash, now) => db.transaction(() => useRefresh(db, hash, now)).immediate(),
    pushRecords: async (accountId, records, now) => db.transaction(() => push(db, accountId, records, now)).immediate(),
    pullRecords: async (accountId, since, limit) => {
      const rows = db
        .prepare<[string, number, number], { id: string; version: number; seq: number; body: string }>(
          "SELECT id, version, seq, body FROM records WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        )
        .all(accountId, since, limit + 1);
      const page = rows.slice(0, limit);
      return { records: page, cursor: page.at(-1)?.seq ?? since, more: rows.length > limit };
    },
    close: async () => void db.close(),
  };
}
