/**
 * Core's per-query snapshot of the market database, for the query sandbox (query-sandbox.ts). A
 * second DuckDB instance cannot read the file core holds open read-write: DuckDB allows it in one
 * process but its file lock is per process, so the reader's lock replaces core's write lock and
 * its close drops it (another process could then open the file for writing), and the reader sees
 * the file as of its last checkpoint while core's later checkpoints may reuse the blocks it reads.
 * So core copies the tables a query reads (and the Parquet registry) in one transaction into a new
 * database file of its own, which the sandbox then attaches read-only; the copy is removed after.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlIdent, sqlString } from "../datafiles/duck.ts";

/** Where snapshots are made, inside the data directory (the same disk as the database). */
export const SNAPSHOT_FOLDER = path.join("cache", "query");

/** A snapshot file; `remove()` deletes it (call once the sandbox on it is closed). */
export interface Snapshot {
  file: string;
  remove(): void;
}

/** The store's tables and views on `conn` (lower case), i.e. what a query may name. */
export async function storeTableNames(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = (await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main'")).getRows();
  return new Set(rows.map((r) => String(r[0]).toLowerCase()));
}

async function copyTables(conn: DuckDBConnection, alias: string, tables: readonly string[]): Promise<void> {
  const db = String((await conn.runAndReadAll("SELECT current_database()")).getRows()[0]![0]);
  await conn.run("BEGIN TRANSACTION");
  try {
    for (const table of tables) await conn.run(`CREATE TABLE ${alias}.main.${sqlIdent(table)} AS FROM ${sqlIdent(db)}.main.${sqlIdent(table)}`);
    await conn.run("COMMIT");
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
}

/** Removes snapshots left by a crash (older than any query may run). */
function sweepStale(parent: string): void {
  const cutoff = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(parent)) {
    const entry = path.join(parent, name);
    try {
      if (fs.statSync(entry).mtimeMs < cutoff) fs.rmSync(entry, { recursive: true, force: true });
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
}

/** Copies `tables` (names as the store has them) of core's market database into a new file under `dataDir`. */
export async function snapshotTables(conn: DuckDBConnection, dataDir: string, tables: readonly string[]): Promise<Snapshot> {
  const parent = path.join(dataDir, SNAPSHOT_FOLDER);
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  sweepStale(parent);
  const dir = fs.mkdtempSync(path.join(parent, "q-"));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, "market.duckdb");
  const alias = `query_snapshot_${randomUUID().replaceAll("-", "")}`;
  try {
    await conn.run(`ATTACH ${sqlString(file)} AS ${alias}`);
    try {
      await copyTables(conn, alias, tables);
    } finally {
      await conn.run(`DETACH ${alias}`);
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { file, remove };
}
