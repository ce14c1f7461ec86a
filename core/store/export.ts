/**
 * Export of a symbol's bars or trades to Parquet, partitioned hive-style as
 * `venue=V/symbol=S/date=YYYY-MM-DD/` ("/" in a symbol written as "-"; dates are UTC days).
 * Bars have columns time (TIMESTAMP, UTC, the bar's open time; stored adjusted-to-UTC), open,
 * high, low, close, volume (DOUBLE); trades have time, price and size (exact DECIMAL(38,18)),
 * side and trade_id. The partition values are in the folder names only.
 */
import fs from "node:fs";
import path from "node:path";
import type { ExportResult } from "../../common/api/store.ts";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import { sqlString } from "../datafiles/duck.ts";
import { candleSql } from "./candles.ts";
import type { MarketDb } from "./market-db.ts";
import { resolveInstrument, tradesRelation } from "./sources.ts";

/** Options of {@link exportData}. */
export interface ExportOptions {
  symbol: string;
  venue?: string | undefined;
  kind?: "bars" | "trades" | undefined;
  /** Bar timeframe (default: the stored bars' own, or 1m from trades). */
  timeframe?: Timeframe | undefined;
  /** Inclusive, UTC ms. */
  from?: number | undefined;
  /** Exclusive, UTC ms. */
  to?: number | undefined;
  out: string;
  overwrite?: boolean;
}

function checkOut(out: string, overwrite: boolean): void {
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new Error(`${out} exists and is not a folder`);
  if (fs.readdirSync(out).length > 0 && !overwrite) throw new Error(`${out} is not empty; pass --overwrite to replace its contents`);
}

function timeframeOf(ms: number | null): Timeframe {
  const name = (Object.keys(TIMEFRAMES) as Timeframe[]).find((k) => TIMEFRAMES[k] === ms);
  if (!name) throw new Error(`stored bars of ${ms} ms match no timeframe; pass --timeframe`);
  return name;
}

async function selectRows(db: MarketDb, opts: ExportOptions, kind: "bars" | "trades", venue: string, tfMs: number | null): Promise<string> {
  const range = [opts.from === undefined ? "TRUE" : `ts >= ${opts.from}`, opts.to === undefined ? "TRUE" : `ts < ${opts.to}`].join(" AND ");
  const part = `${sqlString(venue)} AS venue, ${sqlString(opts.symbol.replaceAll("/", "-"))} AS symbol, strftime(make_timestamp(CAST(ts AS BIGINT) * 1000), '%Y-%m-%d') AS date, make_timestamptz(CAST(ts AS BIGINT) * 1000) AS time`;
  if (kind === "trades") {
    const rel = await tradesRelation(db, venue, opts.symbol);
    return `SELECT ${part}, price, size, side, trade_id FROM ${rel} WHERE ${range} ORDER BY ts, seq`;
  }
  const timeframe = opts.timeframe ?? (tfMs === null ? "1m" : timeframeOf(tfMs));
  const q = await candleSql(db, { symbol: opts.symbol, venue, timeframe, from: opts.from, to: opts.to });
  return `SELECT ${part}, open, high, low, close, volume FROM (${q.select(opts.from ?? null, opts.to ?? null)}) AS b(ts, open, high, low, close, volume) WHERE ${range} ORDER BY ts`;
}

/** Writes a symbol's data as partitioned Parquet; refuses a non-empty folder unless `overwrite`. */
export async function exportData(db: MarketDb, opts: ExportOptions): Promise<ExportResult> {
  const out = path.resolve(opts.out);
  checkOut(out, opts.overwrite === true);
  const all = await resolveInstrument(db, opts.symbol, opts.venue);
  const venue = all[0]!.venue;
  const has = (k: string): boolean => all.some((i) => i.kind === k);
  const kind = opts.kind ?? (has("trades") ? "trades" : "bars");
  if (kind === "trades" && !has("trades")) throw new Error(`${opts.symbol} has no trades (it has bars); use --kind bars`);
  const tfMs = all.find((i) => i.kind === "bars")?.tfMs ?? null;
  const select = await selectRows(db, opts, kind, venue, kind === "bars" && has("trades") ? null : tfMs);
  if (opts.overwrite && fs.existsSync(out)) fs.rmSync(out, { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  const result = await db.conn.run(`COPY (${select}) TO ${sqlString(out)} (FORMAT parquet, PARTITION_BY (venue, symbol, date), OVERWRITE_OR_IGNORE)`);
  const files = fs.readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith(".parquet")).length;
  return { out, kind, rows: result.rowsChanged, files };
}
