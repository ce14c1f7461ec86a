/**
 * Import of CSV and Parquet files into the market store, all or nothing: every file is first
 * staged and checked in temp tables (DuckDB reads it; nothing passes through JS rows), then one
 * transaction replaces the stored rows of the covered time range and inserts the new ones. A bad
 * row (or a cancel, or a crash) leaves the store as it was.
 *
 * Trade prices and sizes are parsed from the file's text straight into DECIMAL(38,18); bar values
 * into DOUBLE. Imported bars keep their timeframe: `--timeframe` when given, else the smallest step
 * between consecutive times, else (a single bar) the one timeframe the symbol's bars already have.
 * Bars of another timeframe at a time the file covers are refused, never stored side by side.
 */
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ImportResult, ImportedFile } from "../../common/api/store.ts";
import type { Progress } from "../../common/api/index.ts";
import { TIMEFRAMES, timeframeLabel, type Timeframe } from "../../common/market/bars.ts";
import { isFixedPeriod } from "../../common/market/timeframes.ts";
import { DataFileError, detectLayout, stageFile } from "../datafiles/index.ts";
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
  /** The bar length of bars files (default: inferred, see the header). */
  timeframe?: Timeframe | undefined;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

interface Staged extends ImportedFile {
  table: string;
  /** Bars: the smallest step between the file's times; null for a single bar or trades. */
  step: number | null;
  /** Bars: the timeframe they are stored under, once resolved. */
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
    const step = result.kind === "bars" ? await stepOf(conn, table) : null;
    staged.push({ file, layout: layout.description, kind: result.kind, rows: result.rows, skipped: result.skipped, from: result.from, to: result.to, table, step, tfMs: null });
  }
  return staged;
}

async function stepOf(conn: DuckDBConnection, table: string): Promise<number | null> {
  const r = await conn.runAndReadAll(`SELECT min(d)::DOUBLE FROM (SELECT t - lag(t) OVER (ORDER BY t) AS d FROM "${table}") WHERE d > 0`);
  return (r.getRows()[0]?.[0] as number | null) ?? null;
}

/** SQL condition selecting one series' rows. */
function seriesKey(venue: string, symbol: string): string {
  return `venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)}`;
}

const TIMEFRAME_LIST = Object.keys(TIMEFRAMES).join(", ");

/** Sets each bars file's tfMs (see the header); throws {@link DataFileError} when it cannot tell. */
async function resolveTimeframes(conn: DuckDBConnection, staged: Staged[], key: string, opts: ImportOptions): Promise<void> {
  const bars = staged.filter((s) => s.kind === "bars");
  const given = opts.timeframe ? TIMEFRAMES[opts.timeframe] : null;
  if (opts.timeframe && !isFixedPeriod(opts.timeframe)) {
    throw new DataFileError(`--timeframe ${opts.timeframe}: calendar months vary in length and are not stored; import daily bars and view them on ${opts.timeframe}`);
  }
  for (const s of bars) {
    if (given !== null && s.step !== null && s.step < given) {
      throw new DataFileError(`${s.file}: bars ${timeframeLabel(s.step)} apart cannot be ${opts.timeframe} bars; give the file's own timeframe with --timeframe`);
    }
    s.tfMs = given ?? s.step;
  }
  if (bars.every((s) => s.tfMs !== null)) return;
  const stored = await conn.runAndReadAll(`SELECT DISTINCT tf_ms::DOUBLE FROM bars WHERE ${key}`);
  const known = new Set([...stored.getRows().map((r) => Number(r[0])), ...bars.flatMap((s) => (s.tfMs === null ? [] : [s.tfMs]))]);
  for (const s of bars.filter((b) => b.tfMs === null)) {
    if (known.size === 1) s.tfMs = [...known][0]!;
    else {
      const has = known.size === 0 ? "has no bars yet" : `has bars of ${[...known].sort((a, b) => a - b).map(timeframeLabel).join(", ")}`;
      throw new DataFileError(`${s.file}: a single bar does not tell its timeframe and ${opts.symbol} ${has}; give --timeframe (${TIMEFRAME_LIST})`);
    }
  }
}

/** Refuses bars whose times already hold stored bars of another timeframe. */
async function refuseMixedTimeframes(conn: DuckDBConnection, s: Staged, key: string, symbol: string): Promise<void> {
  const found = await conn.runAndReadAll(
    `SELECT tf_ms::DOUBLE, ts::DOUBLE FROM bars WHERE ${key} AND tf_ms <> ${s.tfMs} AND ts BETWEEN ${s.from} AND ${s.to} AND ts IN (SELECT t FROM "${s.table}") ORDER BY ts LIMIT 1`,
  );
  const row = found.getRows()[0] as [number, number] | undefined;
  if (!row) return;
  const [tf, ts] = row;
  throw new DataFileError(
    `${s.file}: ${symbol} already has ${timeframeLabel(tf)} bars at ${new Date(ts).toISOString()} and this file's bars are ${timeframeLabel(s.tfMs!)}; ` +
      `two timeframes at one time are refused: give --timeframe ${timeframeLabel(tf)} if the file holds ${timeframeLabel(tf)} bars, or import it under another symbol`,
  );
}

async function insertStaged(conn: DuckDBConnection, s: Staged, venue: string, symbol: string): Promise<void> {
  const key = seriesKey(venue, symbol);
  const v = `${sqlString(venue)}, ${sqlString(symbol)}`;
  if (s.kind === "bars") {
    await refuseMixedTimeframes(conn, s, key, symbol);
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
      await resolveTimeframes(conn, staged, seriesKey(venue, opts.symbol), opts);
      for (const s of staged) await insertStaged(conn, s, venue, opts.symbol);
      if (opts.signal?.aborted) throw new Error("import cancelled");
      await conn.run("COMMIT");
    } catch (err) {
      await conn.run("ROLLBACK");
      throw err;
    } finally {
      db.generations.bump(venue, opts.symbol);
    }
    const files = staged.map(({ table: _t, step: _s, tfMs: _f, ...f }) => f);
    return { symbol: opts.symbol, venue, files, rows: sum(files.map((f) => f.rows)), skipped: sum(files.map((f) => f.skipped)) };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    conn.closeSync();
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
