/**
 * Retention: moves recorded trades older than N days out of DuckDB into Parquet files under
 * `<dataDir>/archive/trades/venue=V/symbol=S/date=D/`, read back transparently by
 * `tradesRelation` (see `sources.ts`).
 *
 * Crash safety without duplicates or loss: files are written to `archive/.pending/<id>/` first;
 * one DuckDB transaction deletes the rows and records `archive_pending = id` in `meta`; only then
 * are the files moved into place and the marker cleared. At the next run (or open), a pending
 * folder whose id is the marker is moved into place (its delete committed); any other pending
 * folder is discarded (its delete never committed, the rows are still in the table).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sqlString } from "../datafiles/duck.ts";
import type { MarketDb } from "./market-db.ts";

const DAY = 86_400_000;

/** The archive folder of a data directory. */
export function archiveDir(dataDir: string): string {
  return path.join(dataDir, "archive");
}

/** The Parquet glob of one symbol's archived trades, or null when none are archived. */
export function archivedTradesGlob(dataDir: string, venue: string, symbol: string): string | null {
  const dir = path.join(archiveDir(dataDir), "trades", `venue=${venue}`, `symbol=${symbol.replaceAll("/", "-")}`);
  return fs.existsSync(dir) ? path.join(dir, "*", "*.parquet") : null;
}

async function marker(db: MarketDb): Promise<string | null> {
  const r = await db.conn.runAndReadAll("SELECT value FROM meta WHERE key = 'archive_pending'");
  return (r.getRows()[0]?.[0] as string | undefined) ?? null;
}

/** Moves committed pending files into place and discards uncommitted ones. */
export async function recoverArchive(db: MarketDb): Promise<void> {
  const pendingRoot = path.join(archiveDir(db.dataDir), ".pending");
  if (!fs.existsSync(pendingRoot)) return;
  const committed = await marker(db);
  for (const id of fs.readdirSync(pendingRoot)) {
    const dir = path.join(pendingRoot, id);
    if (id === committed) moveInto(dir, path.join(archiveDir(db.dataDir), "trades"));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (committed) await db.conn.run("DELETE FROM meta WHERE key = 'archive_pending'");
  db.generations.bumpAll();
}

function moveInto(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const src = path.join(entry.parentPath, entry.name);
    const dest = path.join(to, path.relative(from, src));
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
    fs.renameSync(src, dest);
  }
}

/** Archives recorded trades older than `days` days (whole UTC days); returns the rows moved. */
export async function archiveOldTrades(db: MarketDb, days: number, now = Date.now()): Promise<number> {
  await recoverArchive(db);
  const cutoff = Math.floor((now - days * DAY) / DAY) * DAY;
  const old = `ts < ${cutoff}`;
  const count = Number((await db.conn.runAndReadAll(`SELECT count(*)::DOUBLE FROM trades WHERE ${old}`)).getRows()[0]![0]);
  if (count === 0) return 0;
  const id = crypto.randomUUID();
  const pending = path.join(archiveDir(db.dataDir), ".pending", id);
  fs.mkdirSync(pending, { recursive: true, mode: 0o700 });
  await db.conn.run(
    `COPY (SELECT venue, replace(symbol, '/', '-') AS symbol, strftime(make_timestamp(ts * 1000), '%Y-%m-%d') AS date, ts, price, size, side, trade_id
           FROM trades WHERE ${old} ORDER BY venue, symbol, ts)
     TO ${sqlString(pending)} (FORMAT parquet, PARTITION_BY (venue, symbol, date), FILENAME_PATTERN 'part_{uuid}')`,
  );
  await db.conn.run("BEGIN TRANSACTION");
  try {
    await db.conn.run(`DELETE FROM trades WHERE ${old}`);
    await db.conn.run(`INSERT OR REPLACE INTO meta VALUES ('archive_pending', ${sqlString(id)})`);
    await db.conn.run("UPDATE instruments SET source = source || ',archive' WHERE kind = 'trades' AND first_ts < " + cutoff + " AND source NOT LIKE '%archive%'");
    await db.conn.run("COMMIT");
  } catch (err) {
    await db.conn.run("ROLLBACK");
    fs.rmSync(pending, { recursive: true, force: true });
    throw err;
  } finally {
    db.generations.bumpAll();
  }
  await recoverArchive(db);
  return count;
}
