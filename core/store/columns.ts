/**
 * Columnar hand-off of trades to strategy workers: one Float64Array per column straight out of
 * DuckDB (see `readDoubleColumns`), no per-row objects and no bigint on the way. Bars go through
 * `loadBars` in `candles.ts`. Both results cross to a worker by structured clone as typed arrays.
 */
import { readDoubleColumns } from "../datafiles/duck.ts";
import type { MarketDb } from "./market-db.ts";
import { resolveInstrument, tradesRelation } from "./sources.ts";

/** Trades of one symbol, columnar; `side` is +1 for taker buys, -1 for taker sells, 0 unknown. */
export interface TradeColumns {
  symbol: string;
  venue: string;
  time: Float64Array;
  price: Float64Array;
  size: Float64Array;
  side: Float64Array;
}

/** Loads a symbol's trades in [from, to) as typed arrays, sorted by time. */
export async function loadTrades(db: MarketDb, req: { symbol: string; venue?: string; from?: number; to?: number }): Promise<TradeColumns> {
  const [inst] = await resolveInstrument(db, req.symbol, req.venue, "trades");
  const rel = await tradesRelation(db, inst!.venue, req.symbol);
  const range = [req.from === undefined ? "TRUE" : `ts >= ${req.from}`, req.to === undefined ? "TRUE" : `ts < ${req.to}`].join(" AND ");
  const sql = `SELECT ts::DOUBLE, price::DOUBLE, size::DOUBLE, (CASE side WHEN 'buy' THEN 1 WHEN 'sell' THEN -1 ELSE 0 END)::DOUBLE FROM ${rel} WHERE ${range} ORDER BY ts, seq`;
  const [time, price, size, side] = await readDoubleColumns(db.conn, sql, 65_536);
  return { symbol: req.symbol, venue: inst!.venue, time: time!, price: price!, size: size!, side: side! };
}
