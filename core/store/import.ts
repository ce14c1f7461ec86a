/**
 * Import of CSV and Parquet files into the market store, all or nothing: every file is first
 * staged and checked in temp tables (DuckDB reads it; nothing passes through JS rows), then one
 * transaction replaces the stored rows of the covered time range and inserts the new ones. A bad
 * row (or a cancel, or a crash) leaves the store as it was.
 *
 * Trade prices and sizes are parsed from the file's text straight into DECIMAL(38,18); bar values
 * into DOUBLE. Imported bars keep their timeframe (the smallest step between consecutive times).
 */
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ImportResult, ImportedFile } from "../../common/api/store.ts";
import type { Progress } from "../../common/api/index.ts";
import { detectLayout, stageFile } from "../datafiles/index.ts";
import { sqlString } from "../datafiles/duck.ts";
import type { MarketDb } from "./market-db.ts";
import { upsertInstrument } from "./sources.ts";

/** Options of {@link importFiles}. */
export interface ImportOptions {
  files: string[];
  /** Upper-cased symbol. */
  symbol: string;
  /** Venue; "local" when the files have none. */
  venue?: string | undefined;
  skipBad?: boolean;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

interface Staged extends ImportedFile {
  table: string;
  tfMs: number | null;
}

async function stageAll(conn: DuckDBConnection, opts: ImportOptions): Promise<Staged[]> {
  const staged: Staged[] = [];
  for (const [i, file] of opts.files.entries()) {
    if (opts.signal?.aborted) throw new Error("import cancelled");
    const layout = await detectLayout(file, conn);
    const name = path.basename(file);
    opts.onProgress?.({ done: i, total: opts.files.length, message: `reading ${name}: ${layout.description}` });
    const table = `import_${i}`;
    const result = await stageFile(conn, file, layout, {
      table,
      exact: layout.kind === "trades",
      skipBad: opts.skipBad === true,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (f) => opts.onProgress?.({ done: i + f, total: opts.files.length, message: `reading ${name}` }),
    });
    const tfMs = result.kind === "bars" ? await stepOf(conn, table) : null;
    staged.push({ file, layout: layout.description, kind: result.kind, rows: result.rows, skipped: result.skipped, from: result.from, to: result.to, table, tfMs });
  }
  return staged;
}

async function stepOf(conn: DuckDBConnection, table: string): Promise<number> {
  const r = await conn.runAndReadAll(`SELECT min(d)::DOUBLE FROM (SELECT t - lag(t) OVER (ORDER BY t) AS d FROM "${table}") WHERE d > 0`);
  return (r.getRows()[0]?.[0] as number | null) ?? 86_400_000;
}

async function insertStaged(conn: DuckDBConnection, s: Staged, venue: string, symbol: string): Promise<void> {
  const key = `venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)}`;
  const v = `${sqlString(venue)}, ${sqlString(symbol)}`;
  if (s.kind === "bars") {
    await conn.run(`DELETE FROM bars WHERE ${key} AND tf_ms = ${s.tfMs} AND ts BETWEEN ${s.from} AND ${s.to}`);
    await conn.run(`INSERT INTO bars SELECT ${v}, ${s.tfMs}, t, open, high, low, close, volume FROM "${s.table}" ORDER BY t`);
  } else {
    await conn.run(`DELETE FROM trades WHERE ${key} AND ts BETWEEN ${s.from} AND ${s.to}`);
    await conn.run(`INSERT INTO trades SELECT ${v}, t, price, size, side, trade_id FROM "${s.table}" ORDER BY rowid`);
  }
  await upsertInstrument(conn, { venue, symbol, kind: s.kind, source: "import", tfMs: s.tfMs, firstTs: s.from, lastTs: s.to });
}

/** Imports files for one symbol; replaces stored rows in the time range each file covers. */
export async function importFiles(db: MarketDb, opts: ImportOptions): Promise<ImportResult> {
  const venue = opts.venue ?? "local";
  const conn = await db.connect();
  const onAbort = (): void => conn.interrupt();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const staged = await stageAll(conn, opts);
    opts.onProgress?.({ done: opts.files.length, total: opts.files.length, message: "writing" });
    await conn.run("BEGIN TRANSACTION");
    try {
      for (const s of staged) await insertStaged(conn, s, venue, opts.symbol);
      if (opts.signal?.aborted) throw new Error("import cancelled");
      await conn.run("COMMIT");
    } catch (err) {
      await conn.run("ROLLBACK");
      throw err;
    } finally {
      db.generations.bump(venue, opts.symbol);
    }
    const files = staged.map(({ table: _t, tfMs: _f, ...f }) => f);
    return { symbol: opts.symbol, venue, files, rows: sum(files.map((f) => f.rows)), skipped: sum(files.map((f) => f.skipped)) };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    conn.closeSync();
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
