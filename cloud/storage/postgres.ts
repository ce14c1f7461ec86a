/** The PostgreSQL store of the service: the same interface as SQLite, for a shared deployment. */
import pg from "pg";
import type { PushResponse, WireRecord } from "../../common/cloud/protocol.ts";
import { accountFromRow, DuplicateEmailError, migrationFiles, type CloudStorage, type RefreshUse } from "./storage.ts";

type Client = pg.PoolClient;

async function inTransaction<T>(pool: pg.Pool, work: (c: Client) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await work(c);
    await c.query("COMMIT");
    return out;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (c) => {
    // One migrator at a time, even with several service processes on one database.
    await c.query("SELECT pg_advisory_xact_lock(7262601)");
    await c.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
    const done = new Set((await c.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
    for (const m of migrationFiles("postgres")) {
      if (done.has(m.version)) continue;
      await c.query(m.sql);
      await c.query("INSERT INTO schema_migrations (version) VALUES ($1)", [m.version]);
    }
  });
}

async function push(c: Client, accountId: string, records: readonly WireRecord[], now: number): Promise<PushResponse> {
  const out: PushResponse = { accepted: [], conflicts: [] };
  // The account row lock serialises pushes per account, so seq order is commit order: a reader
  // paging by cursor can never skip a record committed later with a smaller seq.
  const head = await c.query<{ seq: string }>("SELECT seq FROM accounts WHERE id = $1 FOR UPDATE", [accountId]);
  let seq = Number(head.rows[0]?.seq ?? 0);
  for (const r of records) {
    const cur = await c.query<{ version: number }>("SELECT version FROM records WHERE account_id = $1 AND id = $2", [accountId, r.id]);
    const stored = cur.rows[0]?.version ?? 0;
    if (r.version !== stored + 1) {
      out.conflicts.push({ id: r.id, version: stored });
      continue;
    }
    seq++;
    await c.query(
      `INSERT INTO records (account_id, id, version, seq, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account_id, id) DO UPDATE SET version = excluded.version, seq = excluded.seq, body = excluded.body, updated_at = excluded.updated_at`,
      [accountId, r.id, r.version, seq, r.body, now],
    );
    out.accepted.push({ id: r.id, version: r.version, seq });
  }
  await c.query("UPDATE accounts SET seq = $1 WHERE id = $2", [seq, accountId]);
  return out;
}

async function useRefresh(c: Client, hash: string, now: number): Promise<RefreshUse> {
  const res = await c.query<{ device_id: string; account_id: string; expires_at: string; used_at: string | null; revoked_at: string | null }>(
    "SELECT t.device_id, d.account_id, t.expires_at, t.used_at, d.revoked_at FROM refresh_tokens t JOIN devices d ON d.id = t.device_id WHERE t.hash = $1 FOR UPDATE OF t, d",
    [hash],
  );
  const row = res.rows[0];
  if (!row || row.revoked_at !== null || Number(row.expires_at) <= now) return { status: "invalid" };
  if (row.used_at !== null) {
    await c.query("UPDATE devices SET revoked_at = $1 WHERE id = $2", [now, row.device_id]);
    await c.query("DELETE FROM refresh_tokens WHERE device_id = $1 AND used_at IS NULL", [row.device_id]);
    return { status: "reused" };
  }
  await c.query("UPDATE refresh_tokens SET used_at = $1 WHERE hash = $2", [now, hash]);
  return { status: "ok", deviceId: row.device_id, accountId: row.account_id };
}

/** Connects to PostgreSQL at `url` and migrates its schema. */
export async function openPostgresStorage(url: string): Promise<CloudStorage> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on("error", (err) => process.stderr.write(`postgres: ${err.message}\n`));
  await migrate(pool);
  const one = async <R extends pg.QueryResultRow>(sql: string, args: unknown[]): Promise<R | undefined> => (await pool.query<R>(sql, args)).rows[0];
  const account = async (col: string, value: string) => {
    const r = await one<Parameters<typeof accountFromRow>[0]>(`SELECT * FROM accounts WHERE ${col} = $1`, [value]);
    return r ? accountFromRow(r) : null;
  };
  return {
    metaValue: async (key, make) => {
      await pool.query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [key, make()]);
      return (await one<{ value: string }>("SELECT value FROM meta WHERE key = $1", [key]))!.value;
    },
    createAccount: async (a) => {
      try {
        await pool.query("INSERT INTO accounts (id, email, salt, kdf, auth_hash, recovery_hash, wrapped_keys, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
          a.id, a.email, a.salt, JSON.stringify(a.kdf), a.authHash, a.recoveryHash, JSON.stringify(a.wrappedKeys), a.createdAt,
        ]);
      } catch (err) {
        if ((err as { code?: string }).code === "23505") throw new DuplicateEmailError("email taken");
        throw err;
      }
    },
    accountByEmail: (email) => account("email", email),
    accountById: (id) => account("id", id),
    updatePassword: async (id, u) =>
      void (await pool.query("UPDATE accounts SET salt = $1, kdf = $2, auth_hash = $3, wrapped_keys = $4 WHERE id = $5", [u.salt, JSON.stringify(u.kdf), u.authHash, JSON.stringify(u.wrappedKeys), id])),
    deleteAccount: async (id) => void (await pool.query("DELETE FROM accounts WHERE id = $1", [id])),
    revokeAllDevices: (id, now) =>
      inTransaction(pool, async (c) => {
        await c.query("DELETE FROM refresh_tokens WHERE device_id IN (SELECT id FROM devices WHERE account_id = $1)", [id]);
        await c.query("UPDATE devices SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL", [now, id]);
      }),
    createDevice: async (accountId, deviceId, name, now) =>
      void (await pool.query("INSERT INTO devices (id, account_id, name, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)", [deviceId, accountId, name, now])),
    deviceActive: async (accountId, deviceId, now) =>
      (await pool.query("UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL", [now, deviceId, accountId])).rowCount === 1,
    listDevices: async (accountId) =>
      (
        await pool.query<{ id: string; name: string; created_at: string; last_seen_at: string }>(
          "SELECT id, name, created_at, last_seen_at FROM devices WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at",
          [accountId],
        )
      ).rows.map((d) => ({ id: d.id, name: d.name, createdAt: Number(d.created_at), lastSeenAt: Number(d.last_seen_at) })),
    revokeDevice: (accountId, deviceId, now) =>
      inTransaction(pool, async (c) => {
        const res = await c.query("UPDATE devices SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL", [now, deviceId, accountId]);
        await c.query("DELETE FROM refresh_tokens WHERE device_id = $1", [deviceId]);
        return res.rowCount === 1;
      }),
    addRefreshToken: async (hash, deviceId, expiresAt) => void (await pool.query("INSERT INTO refresh_tokens (hash, device_id, expires_at) VALUES ($1, $2, $3)", [hash, deviceId, expiresAt])),
    useRefreshToken: (hash, now) => inTransaction(pool, (c) => useRefresh(c, hash, now)),
    pushRecords: (accountId, records, now) => inTransaction(pool, (c) => push(c, accountId, records, now)),
    pullRecords: async (accountId, since, limit) => {
      const rows = (
        await pool.query<{ id: string; version: number; seq: string; body: string }>(
          "SELECT id, version, seq, body FROM records WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
          [accountId, since, limit + 1],
        )
      ).rows.map((r) => ({ id: r.id, version: r.version, seq: Number(r.seq), body: r.body }));
      const page = rows.slice(0, limit);
      return { records: page, cursor: page.at(-1)?.seq ?? since, more: rows.length > limit };
    },
    close: () => pool.end(),
  };
}
