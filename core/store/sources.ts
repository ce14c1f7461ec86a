/**
 * Where a symbol's data lives: the DuckDB tables, and Parquet files registered in place
 * (`data add-parquet`) or archived by retention. Builds the SQL subqueries that read all of them
 * as one relation, so candles, export and backtests see recorded, imported and Parquet data alike.
 */
import fs from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import path from "node:path";
import { detectLayout, projection, type DetectedLayout } from "../datafiles/index.ts";
import { ApiError } from "../../common/api/index.ts";
import { sqlString } from "../datafiles/duck.ts";
import { archivedTradesGlob } from "./archive.ts";
import type { SymbolInfo } from "../../common/api/store.ts";
import { MONEY, type MarketDb } from "./market-db.ts";

/** One registered instrument (a symbol on a venue with trades or bars): what `store.symbols` lists. */
export type Instrument = SymbolInfo;

/** A Parquet source row. */
interface ParquetSource {
  kind: "trades" | "bars";
  path: string;
  layout: DetectedLayout & { tfMs?: number | null };
}

/**
 * Lists instruments, optionally filtered by a case-insensitive substring of the symbol (bound as a
 * parameter: the client's text, NUL characters included, is never part of the SQL).
 */
export async function listInstruments(db: MarketDb, query?: string): Promise<Instrument[]> {
  const filter = query ? "WHERE symbol ILIKE $1" : "";
  const reader = await db.conn.runAndReadAll(
    `SELECT venue, symbol, kind, string_agg(DISTINCT source, ',' ORDER BY source) AS source, max(tf_ms)::DOUBLE AS tf, min(first_ts)::DOUBLE AS f, max(last_ts)::DOUBLE AS l
     FROM instruments ${filter} GROUP BY venue, symbol, kind ORDER BY symbol, venue, kind`,
    query ? [`%${query}%`] : [],
  );
  return reader.getRowObjectsJS().map((r) => ({
    venue: String(r.venue),
    symbol: String(r.symbol),
    kind: r.kind as Instrument["kind"],
    source: String(r.source),
    tfMs: (r.tf as number | null) ?? null,
    firstTs: (r.f as number | null) ?? null,
    lastTs: (r.l as number | null) ?? null,
  }));
}

/**
 * Finds the venue of a symbol: the given one, or the only venue that has it. Throws `not_found`
 * (the code the store's API has always given both) when nothing is stored or, no venue given, the
 * symbol is on several.
 */
export async function resolveInstrument(db: MarketDb, symbol: string, venue?: string, kind?: "trades" | "bars"): Promise<Instrument[]> {
  const all = (await listInstruments(db)).filter((i) => i.symbol === symbol && (!venue || i.venue === venue) && (!kind || i.kind === kind));
  if (all.length === 0) throw new ApiError("not_found", `no ${kind ?? "data"} for ${symbol}${venue ? ` on ${venue}` : ""}`);
  const venues = [...new Set(all.map((i) => i.venue))];
  if (venues.length > 1) throw new ApiError("not_found", `${symbol} exists on several venues (${venues.join(", ")}); pass --venue`);
  return all;
}

/** Records (or widens) an instrument's entry. */
export async function upsertInstrument(conn: DuckDBConnection, i: Instrument): Promise<void> {
  await conn.run(
    `INSERT INTO instruments VALUES (${sqlString(i.venue)}, ${sqlString(i.symbol)}, ${sqlString(i.kind)}, ${sqlString(i.source)}, ${i.tfMs ?? "NULL"}, ${i.firstTs ?? "NULL"}, ${i.lastTs ?? "NULL"}, ${Date.now()})
     ON CONFLICT (venue, symbol, kind) DO UPDATE SET
       first_ts = least(instruments.first_ts, excluded.first_ts), last_ts = greatest(instruments.last_ts, excluded.last_ts),
       tf_ms = coalesce(excluded.tf_ms, instruments.tf_ms),
       source = CASE WHEN instruments.source LIKE '%' || excluded.source || '%' THEN instruments.source ELSE instruments.source || ',' || excluded.source END,
       updated_at = excluded.updated_at`,
  );
}

async function parquetSources(db: MarketDb, venue: string, symbol: string, kind: "trades" | "bars"): Promise<ParquetSource[]> {
  const reader = await db.conn.runAndReadAll(
    `SELECT kind, path, layout FROM parquet_sources WHERE venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)} AND kind = '${kind}' ORDER BY id`,
  );
  return reader.getRowObjectsJS().map((r) => ({ kind, path: String(r.path), layout: JSON.parse(String(r.layout)) as ParquetSource["layout"] }));
}

function parquetRead(src: ParquetSource): string {
  return `read_parquet(${sqlString(src.path)}, union_by_name = true)`;
}

/**
 * A subquery of all trades of a symbol: (ts, price, size, side, trade_id, seq). `seq` orders trades
 * that share a millisecond as they arrived (row order within their source), so the first and last
 * trade of a bucket — a candle's open and close — are the venue's, not an arbitrary one of a burst.
 */
export async function tradesRelation(db: MarketDb, venue: string, symbol: string): Promise<string> {
  const parts = [`SELECT ts, price, size, side, trade_id, rowid AS seq FROM trades WHERE venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)}`];
  const archived = archivedTradesGlob(db.dataDir, venue, symbol);
  if (archived) {
    parts.push(`SELECT ts, price, size, side, trade_id, file_row_number AS seq FROM read_parquet(${sqlString(archived)}, hive_partitioning = false, file_row_number = true)`);
  }
  for (const src of await parquetSources(db, venue, symbol, "trades")) {
    const read = `read_parquet(${sqlString(src.path)}, union_by_name = true, file_row_number = true)`;
    parts.push(`SELECT t AS ts, price, size, side, trade_id, seq FROM (SELECT ${projection(src.layout, MONEY, false)}, file_row_number AS seq FROM ${read})`);
  }
  return `(${parts.join(" UNION ALL ")})`;
}

/** The Parquet globs a symbol's data is read from (registered sources of both kinds, archived trades). */
export async function sourceGlobs(db: MarketDb, venue: string, symbol: string): Promise<string[]> {
  const reader = await db.conn.runAndReadAll(`SELECT path FROM parquet_sources WHERE venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)} ORDER BY id`);
  const globs = reader.getRows().map((r) => String(r[0]));
  const archived = archivedTradesGlob(db.dataDir, venue, symbol);
  return archived ? [...globs, archived] : globs;
}

/** A subquery of all stored bars of a symbol: (tf_ms, ts, open, high, low, close, volume). */
export async function barsRelation(db: MarketDb, venue: string, symbol: string): Promise<string> {
  const parts = [`SELECT tf_ms, ts, open, high, low, close, volume FROM bars WHERE venue = ${sqlString(venue)} AND symbol = ${sqlString(symbol)}`];
  for (const src of await parquetSources(db, venue, symbol, "bars")) {
    const tf = src.layout.tfMs ?? 0;
    parts.push(`SELECT ${tf}::BIGINT AS tf_ms, t AS ts, open, high, low, close, volume FROM (SELECT ${projection(src.layout, "DOUBLE", false)} FROM ${parquetRead(src)})`);
  }
  return `(${parts.join(" UNION ALL ")})`;
}

/** The glob of Parquet files for a folder, glob or file argument. */
export function parquetGlob(arg: string): string {
  const abs = path.resolve(arg);
  if (/[*?[]/.test(arg)) return abs;
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) return path.join(abs, "**", "*.parquet");
  if (fs.existsSync(abs)) return abs;
  throw new Error(`${arg}: no such file or folder`);
}

/** Smallest positive step between consecutive times: a bar series' timeframe. */
export async function inferTfMs(db: MarketDb, relation: string): Promise<number | null> {
  const reader = await db.conn.runAndReadAll(`SELECT min(d)::DOUBLE FROM (SELECT ts - lag(ts) OVER (ORDER BY ts) AS d FROM ${relation}) WHERE d > 0`);
  return (reader.getRows()[0]?.[0] as number | null) ?? null;
}

/** Registers Parquet files as a source of a symbol without copying them. */
export async function addParquetSource(db: MarketDb, arg: string, symbol: string, venue: string): Promise<Instrument & { files: number; path: string }> {
  const glob = parquetGlob(arg);
  const files = (await db.conn.runAndReadAll(`SELECT file FROM glob(${sqlString(glob)}) ORDER BY file`)).getRows().map((r) => String(r[0]));
  if (files.length === 0) throw new Error(`${arg}: no Parquet files found (looked for ${glob})`);
  const layout: DetectedLayout & { tfMs?: number | null } = await detectLayout(files[0]!, db.conn);
  if (layout.format !== "parquet") throw new Error(`${files[0]}: not a Parquet file`);
  const kind = layout.kind === "trades" ? "trades" : "bars";
  const rel = `(SELECT t AS ts FROM (SELECT ${projection(layout, "DOUBLE", false)} FROM read_parquet(${sqlString(glob)}, union_by_name = true)))`;
  const stats = await db.conn.runAndReadAll(`SELECT min(ts)::DOUBLE, max(ts)::DOUBLE, count(*)::DOUBLE FROM ${rel}`);
  const [firstTs, lastTs, count] = stats.getRows()[0] as [number | null, number | null, number];
  if (count === 0) throw new Error(`${arg}: the Parquet files hold no rows`);
  layout.tfMs = kind === "bars" ? await inferTfMs(db, rel) : null;
  await db.conn.run(
    `INSERT INTO parquet_sources VALUES ((SELECT coalesce(max(id), 0) + 1 FROM parquet_sources), ${sqlString(venue)}, ${sqlString(symbol)}, '${kind}', ${sqlString(glob)}, ${sqlString(JSON.stringify(layout))}, ${Date.now()})`,
  );
  const instrument: Instrument = { venue, symbol, kind, source: "parquet", tfMs: layout.tfMs, firstTs, lastTs };
  await upsertInstrument(db.conn, instrument);
  db.generations.bump(venue, symbol);
  return { ...instrument, files: files.length, path: glob };
}
