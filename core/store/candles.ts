/**
 * Candles: OHLCV bars of any timeframe from 1s to 1d, computed by DuckDB from a symbol's trades
 * (recorded, imported or Parquet) or aggregated from its stored bars, and paged for charts that
 * scroll back: a page is the newest `limit` bars before `to`, with `more` telling whether older
 * bars exist (ask again with `to` = the first time of the page).
 *
 * Bucketing is common/market/timeframes.ts: fixed lengths on UTC ms (days start at 00:00 UTC),
 * weeks on Monday 00:00 UTC, calendar months. Open and close are the first and last trade (or bar)
 * by time; volume sums sizes.
 */
import { TIMEFRAMES, timeframeLabel, type BarColumns, type Timeframe } from "../../common/market/bars.ts";
import { bucketCeil, bucketKeySql, bucketSql, bucketStart, bucketsBefore, buildsFrom } from "../../common/market/timeframes.ts";
import type { CandlesPage } from "../../common/api/store.ts";
import { readDoubleColumns } from "../datafiles/duck.ts";
import type { MarketDb } from "./market-db.ts";
import { barsRelation, resolveInstrument, tradesRelation } from "./sources.ts";

/** What to read. */
export interface CandleRequest {
  symbol: string;
  venue?: string | undefined;
  timeframe: Timeframe;
  from?: number | undefined;
  to?: number | undefined;
}

/** Columns of a candle query, before paging. */
export interface CandleSql {
  venue: string;
  source: "trades" | "bars";
  /** True when `select` is a plain scan of stored bars, whose rows usually come in time order already. */
  scan: boolean;
  /** SELECT producing (t, open, high, low, close, volume) as DOUBLE for buckets in [from, to). */
  select(from: number | null, to: number | null): string;
}

const DOUBLES = (cols: string[]): string => cols.map((c) => `${c}::DOUBLE`).join(", ");

/** Arrival order of a trade as one HUGEINT (time, then row order within its source); far faster than a (ts, seq) struct key. */
const ARRIVAL = "(ts::HUGEINT * 1099511627776 + seq)";

/** Builds the candle query of a symbol: from trades when it has them, else from stored bars. */
export async function candleSql(db: MarketDb, req: CandleRequest): Promise<CandleSql> {
  const tf = req.timeframe;
  const all = await resolveInstrument(db, req.symbol, req.venue);
  const venue = all[0]!.venue;
  const range = (from: number | null, to: number | null): string =>
    [from === null ? "TRUE" : `ts >= ${bucketStart(tf, from)}`, to === null ? "TRUE" : `ts < ${bucketCeil(tf, to)}`].join(" AND ");
  const bucket = bucketSql(tf, "ts");
  const key = bucketKeySql(tf, "ts");
  if (all.some((i) => i.kind === "trades")) {
    const rel = await tradesRelation(db, venue, req.symbol);
    return {
      venue,
      source: "trades",
      scan: false,
      select: (from, to) =>
        `SELECT ${DOUBLES([bucket, "arg_min(price, " + ARRIVAL + ")", "max(price)", "min(price)", "arg_max(price, " + ARRIVAL + ")", "sum(size)"])} FROM ${rel} WHERE ${range(from, to)} GROUP BY ${key}`,
    };
  }
  const rel = await barsRelation(db, venue, req.symbol);
  const tfs = (await db.conn.runAndReadAll(`SELECT DISTINCT tf_ms::DOUBLE FROM ${rel} ORDER BY 1`)).getRows().map((r) => Number(r[0]));
  const usable = tfs.filter((t) => buildsFrom(tf, t));
  if (usable.length === 0) {
    throw new Error(`${req.symbol} has bars of ${tfs.map(timeframeLabel).join(", ")}; ${req.timeframe} candles cannot be built from them`);
  }
  const stored = usable[usable.length - 1]!;
  const scan = stored === TIMEFRAMES[tf];
  const select =
    scan
      ? (from: number | null, to: number | null) => `SELECT ${DOUBLES(["ts", "open", "high", "low", "close", "volume"])} FROM ${rel} WHERE tf_ms = ${stored} AND ${range(from, to)}`
      : (from: number | null, to: number | null) =>
          `SELECT ${DOUBLES([bucket, "arg_min(open, ts)", "max(high)", "min(low)", "arg_max(close, ts)", "sum(volume)"])} FROM ${rel} WHERE tf_ms = ${stored} AND ${range(from, to)} GROUP BY ${key}`;
  return { venue, source: "bars", scan, select };
}

/**
 * The SELECTs of all candles in [from, to): `ordered` sorts by time; `unordered` (plain scans of
 * stored bars only) skips the sort, which costs more than the scan, and is used when its times
 * come back non-decreasing (checked by the reader; `ordered` otherwise).
 */
export function barsSelects(q: CandleSql, req: CandleRequest): { ordered: string; unordered: string | null } {
  const select = q.select(req.from ?? null, req.to ?? null);
  return { ordered: `SELECT * FROM (${select}) ORDER BY 1`, unordered: q.scan ? select : null };
}

/** True when `time` never decreases. */
export function nonDecreasing(time: Float64Array, before = -Infinity): boolean {
  let last = before;
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    if (t < last) return false;
    last = t;
  }
  return true;
}

/** All candles in [from, to) as columns (for workers and export). */
export async function loadBars(db: MarketDb, req: CandleRequest): Promise<BarColumns> {
  const sql = barsSelects(await candleSql(db, req), req);
  let cols = sql.unordered === null ? null : await readDoubleColumns(db.conn, sql.unordered, 4096);
  if (cols === null || !nonDecreasing(cols[0]!)) cols = await readDoubleColumns(db.conn, sql.ordered, 4096);
  const [time, open, high, low, close, volume] = cols;
  return { symbol: req.symbol, time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
}

/** One page of candles: the newest `limit` bars in [from, to). */
export async function candlePage(db: MarketDb, req: CandleRequest & { limit: number }): Promise<CandlesPage> {
  const q = await candleSql(db, req);
  const page = async (from: number | null): Promise<Float64Array[]> =>
    readDoubleColumns(db.conn, `SELECT * FROM (SELECT * FROM (${q.select(from, req.to ?? null)}) ORDER BY 1 DESC LIMIT ${req.limit + 1}) ORDER BY 1`, req.limit + 1);
  let cols: Float64Array[];
  if (req.from === undefined && req.to !== undefined) {
    // Dense guess first: the last limit+1 buckets; widen to all history when it comes up short.
    cols = await page(bucketsBefore(req.timeframe, req.to, req.limit + 1));
    if (cols[0]!.length <= req.limit) cols = await page(null);
  } else {
    cols = await page(req.from ?? null);
  }
  const more = cols[0]!.length > req.limit;
  const cut = (a: Float64Array): number[] => Array.from(more ? a.subarray(1) : a);
  const [time, open, high, low, close, volume] = cols.map(cut);
  return { symbol: req.symbol, venue: q.venue, timeframe: req.timeframe, source: q.source, time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume!, more };
}
