/**
 * A seeded synthetic universe, so the screener can be tried (and tested, and benchmarked) offline:
 * N symbols × M bars of one timeframe written to the store's `bars` table by one DuckDB statement.
 * Each symbol is a geometric random walk with its own drift and volatility; every number comes from
 * DuckDB's `hash()` of (seed, symbol, bar), so the same seed gives the same bars. Symbols are
 * `SYN0001/USD`…; the venue is `synthetic` unless given. Existing bars of those symbols at that
 * timeframe are replaced.
 */
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import type { UniverseDetail } from "../../common/api/screener.ts";
import type { UniverseMember } from "../../common/screener/rank.ts";
import { sqlString } from "../datafiles/duck.ts";
import type { Store } from "../store/index.ts";
import type { MarketDb } from "../store/market-db.ts";
import { saveUniverse } from "./universes.ts";

/** What to generate. */
export interface SyntheticSpec {
  symbols: number;
  bars: number;
  timeframe: Timeframe;
  seed: number;
  venue?: string;
  /** Open time of the last bar (default: the start of the current UTC hour, minus one bar). */
  end?: number;
}

/** The symbol name of the i-th synthetic symbol (0-based). */
export function syntheticSymbol(i: number): string {
  return `SYN${String(i + 1).padStart(4, "0")}/USD`;
}

/** A uniform number in [0, 1) from the hash of the given SQL terms. */
const unit = (...terms: string[]): string => `((hash(${terms.join(", ")}) % 1000000007)::DOUBLE / 1000000007)`;

/** Writes the universe's bars; returns its members. */
export async function generateSynthetic(db: MarketDb, spec: SyntheticSpec): Promise<UniverseMember[]> {
  const { symbols: n, bars: m, seed } = spec;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error("symbols must be between 1 and 100000");
  if (!Number.isInteger(m) || m < 1 || m > 10_000_000 || n * m > 200_000_000) throw new Error("bars must be between 1 and 10000000 (and symbols × bars at most 200000000)");
  const tf = TIMEFRAMES[spec.timeframe];
  const venue = spec.venue ?? "synthetic";
  const end = spec.end ?? Math.floor(Date.now() / 3_600_000) * 3_600_000 - tf;
  const start = Math.floor(end / tf) * tf - (m - 1) * tf;
  const sym = `'SYN' || lpad((s + 1)::VARCHAR, 4, '0') || '/USD'`;
  const drift = `(${unit(String(seed), "s")} - 0.5) * 0.002`;
  const vol = `(0.004 + ${unit(String(seed), "s", "'vol'")} * 0.02)`;
  const sql = `
    WITH steps AS (
      SELECT s, i, (${unit(String(seed), "s", "i")} - 0.5) * 2 * ${vol} + ${drift} AS r, ${unit(String(seed), "s", "i", "'h'")} AS h,
        ${unit(String(seed), "s", "i", "'l'")} AS l, ${unit(String(seed), "s", "i", "'v'")} AS v
      FROM range(${n}) a(s), range(${m}) b(i)
    ), walk AS (
      SELECT s, i, h, l, v, (10 + (s % 97) * 7) * exp(sum(r) OVER (PARTITION BY s ORDER BY i)) AS close FROM steps
    ), ohlc AS (
      SELECT s, i, h, l, v, close, lag(close, 1, close) OVER (PARTITION BY s ORDER BY i) AS open FROM walk
    )
    SELECT ${sqlString(venue)}, ${sym}, ${tf}::BIGINT, (${start} + i * ${tf})::BIGINT, open, greatest(open, close) * (1 + h * 0.004),
      least(open, close) * (1 - l * 0.004), close, round(1000 * (0.2 + v * 2) * (1 + (s % 13)), 3)
    FROM ohlc ORDER BY s, i`;
  await db.conn.run("BEGIN TRANSACTION");
  try {
    await db.conn.run(`DELETE FROM bars WHERE venue = ${sqlString(venue)} AND tf_ms = ${tf} AND symbol IN (SELECT ${sym} FROM range(${n}) a(s))`);
    await db.conn.run(`INSERT INTO bars ${sql}`);
    await db.conn.run(
      `INSERT INTO instruments SELECT ${sqlString(venue)}, ${sym}, 'bars', 'synthetic', ${tf}, ${start}, ${start + (m - 1) * tf}, ${Date.now()} FROM range(${n}) a(s)
       ON CONFLICT (venue, symbol, kind) DO UPDATE SET tf_ms = excluded.tf_ms, first_ts = excluded.first_ts, last_ts = excluded.last_ts, updated_at = excluded.updated_at`,
    );
    await db.conn.run("COMMIT");
  } catch (err) {
    await db.conn.run("ROLLBACK").catch(() => undefined);
    throw err;
  }
  db.generations.bumpAll();
  return Array.from({ length: n }, (_, i) => ({ venue, symbol: syntheticSymbol(i) }));
}

/** Generates the bars and saves them as universe `name` (replacing one of that name). */
export async function syntheticUniverse(store: Store, spec: SyntheticSpec & { name: string }): Promise<UniverseDetail> {
  const members = await store.withMarket((db) => generateSynthetic(db, spec));
  const source = `synthetic ${spec.symbols}x${spec.bars} ${spec.timeframe} seed ${spec.seed}`;
  return saveUniverse(store.app().db, spec.name, source, members, true);
}
