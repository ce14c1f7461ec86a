/**
 * Writes generated bars into the market store: the simulated venue's history, so whatever a chart
 * shows of it can be backtested. The rows go in through an appender into a temp table, then one
 * transaction replaces the series' rows (all of them, or only the written range) and records the
 * instrument with its source (e.g. "simulated", so search and `data symbols` say the prices are
 * made up). The series' generation is bumped after the commit, so no cache serves the old rows.
 */
import { sqlString } from "../datafiles/duck.ts";
import type { MarketDb } from "./market-db.ts";
import { upsertInstrument } from "./sources.ts";

/** What {@link writeGeneratedBars} writes. */
export interface GeneratedBars {
  venue: string;
  symbol: string;
  tfMs: number;
  /** The instrument's source label, e.g. "simulated". */
  source: string;
  bars: Record<"time" | "open" | "high" | "low" | "close" | "volume", ArrayLike<number>>;
  /** True: the series' stored bars are all replaced; false: only those in the written range. */
  replaceAll: boolean;
}

/** Writes `g` (see the file header); returns the number of bars written. */
export async function writeGeneratedBars(db: MarketDb, g: GeneratedBars): Promise<number> {
  const n = g.bars.time.length;
  if (n === 0) return 0;
  const conn = await db.connect();
  try {
    await conn.run("CREATE OR REPLACE TEMP TABLE generated_bars (ts BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)");
    const appender = await conn.createAppender("generated_bars");
    const { time, open, high, low, close, volume } = g.bars;
    for (let i = 0; i < n; i++) {
      appender.appendBigInt(BigInt(Math.round(time[i]!)));
      for (const col of [open, high, low, close, volume]) appender.appendDouble(col[i]!);
      appender.endRow();
    }
    appender.closeSync();
    const key = `venue = ${sqlString(g.venue)} AND symbol = ${sqlString(g.symbol)}`;
    const from = time[0]!;
    const to = time[n - 1]!;
    await conn.run("BEGIN TRANSACTION");
    try {
      if (g.replaceAll) {
        await conn.run(`DELETE FROM bars WHERE ${key}`);
        await conn.run(`DELETE FROM instruments WHERE ${key} AND kind = 'bars'`);
      } else {
        await conn.run(`DELETE FROM bars WHERE ${key} AND ts BETWEEN ${from} AND ${to}`);
      }
      await conn.run(`INSERT INTO bars SELECT ${sqlString(g.venue)}, ${sqlString(g.symbol)}, ${g.tfMs}, ts, open, high, low, close, volume FROM generated_bars ORDER BY ts`);
      await upsertInstrument(conn, { venue: g.venue, symbol: g.symbol, kind: "bars", source: g.source, tfMs: g.tfMs, firstTs: from, lastTs: to });
      await conn.run("COMMIT");
    } catch (err) {
      await conn.run("ROLLBACK");
      throw err;
    } finally {
      db.generations.bump(g.venue, g.symbol);
    }
    return n;
  } finally {
    conn.closeSync();
  }
}
