/**
 * Preparation of bar series after a write: once an import or a Parquet registration has
 * committed, the full-range hand-off entry of the series at its stored timeframe is built in the
 * background, so the first backtest on it is served warm (the cold read costs hundreds of
 * milliseconds for a million bars however it is done; see `bars-cache.ts`).
 *
 * Only series read as a plain scan of stored bars are prepared (imported or registered OHLCV at
 * their own timeframe), and only when their estimated file is at most half the cache cap. The
 * series is claimed synchronously when scheduled, so a request arriving meanwhile waits for the
 * read instead of starting a second one (`flights.ts`). A preparation runs on a connection of
 * its own, interrupted on cancel; a newer preparation of the same series cancels the older one.
 */
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import { leaseSeries } from "./bars-cache.ts";
import { candleSql } from "./candles.ts";
import { seriesKey } from "./flights.ts";
import type { MarketDb } from "./market-db.ts";
import { listInstruments } from "./sources.ts";

/** A series to prepare. */
export interface SeriesRef {
  symbol: string;
  venue: string;
}

/** What a preparation did. */
export type PrepareOutcome = { built: true; timeframe: Timeframe; bars: number; warm: boolean } | { built: false; reason: string };

/** Estimated bytes of the hand-off file of `bars` bars (as `bars-cache.ts` sizes it). */
const fileBytes = (bars: number): number => (1 + 6 * (bars + Math.max(4096, Math.ceil(bars / 16)))) * 8;

/** The stored timeframe of a series of bars when it can be prepared, else why not. */
async function plan(db: MarketDb, series: SeriesRef): Promise<{ timeframe: Timeframe } | { reason: string }> {
  const generation = db.generations.of(series.symbol);
  const everywhere = (await listInstruments(db)).filter((i) => i.symbol === series.symbol);
  // The venue a venue-less request (a backtest without --venue) resolves to, as `leaseBars` would note it.
  if (everywhere.length > 0 && everywhere.every((i) => i.venue === series.venue)) db.handoffs.venues.set(series.symbol, { generation, venue: series.venue });
  const all = everywhere.filter((i) => i.venue === series.venue);
  if (all.length === 0) throw new Error(`no data for ${series.symbol} on ${series.venue}`);
  const bars = all.find((i) => i.kind === "bars");
  if (!bars || all.some((i) => i.kind === "trades")) return { reason: "candles come from trades" };
  const timeframe = (Object.keys(TIMEFRAMES) as Timeframe[]).find((k) => TIMEFRAMES[k] === bars.tfMs);
  if (!timeframe) return { reason: `stored timeframe ${bars.tfMs ?? "unknown"} ms has no name` };
  const estimate = bars.firstTs === null || bars.lastTs === null ? 0 : Math.floor((bars.lastTs - bars.firstTs) / TIMEFRAMES[timeframe]) + 1;
  if (fileBytes(estimate) > db.handoffs.maxBytes / 2) return { reason: `about ${estimate} bars: more than half the hand-off cache` };
  const q = await candleSql(db, { symbol: series.symbol, venue: series.venue, timeframe });
  return q.scan ? { timeframe } : { reason: "candles are aggregated" };
}

/**
 * Builds the full-range hand-off entry of `series` at its stored timeframe (see the file header).
 * The series is claimed before the first await; rejects when cancelled or when the read fails.
 */
export async function prepareBars(db: MarketDb, series: SeriesRef, signal?: AbortSignal): Promise<PrepareOutcome> {
  const unclaim = db.handoffs.flights.claim(seriesKey(series.symbol, series.venue));
  let conn: Awaited<ReturnType<MarketDb["connect"]>> | null = null;
  const stop = (): void => conn?.interrupt();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    conn = await db.connect();
    const own: MarketDb = { ...db, conn };
    const planned = await plan(own, series);
    signal?.throwIfAborted();
    if ("reason" in planned) return { built: false, reason: planned.reason };
    const building = leaseSeries(own, { ...series, timeframe: planned.timeframe }, signal);
    unclaim();
    const lease = await building;
    lease.release();
    return { built: true, timeframe: planned.timeframe, bars: lease.bars, warm: lease.warm };
  } finally {
    unclaim();
    signal?.removeEventListener("abort", stop);
    conn?.closeSync();
  }
}

/** Where preparations report (a logger's shape). */
export interface PrepareLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Background preparations of one store: at most one per series, cancelled by a newer one or at close. */
export class BarsPreparations {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  /** Starts preparing `series` in the background (never throws; failures are logged); resolves when it ends. */
  schedule(db: MarketDb, series: SeriesRef, log?: PrepareLog): Promise<void> {
    const key = seriesKey(series.symbol, series.venue);
    this.running.get(key)?.abort.abort();
    const abort = new AbortController();
    const done: Promise<void> = prepareBars(db, series, abort.signal).then(
      (outcome) => log?.debug({ ...series, ...outcome }, "bars prepared"),
      (err: unknown) => {
        if (abort.signal.aborted) log?.debug({ ...series }, "bars preparation cancelled");
        else log?.warn({ ...series, err: (err as Error).message }, "bars preparation failed");
      },
    ).finally(() => {
      if (this.running.get(key)?.done === done) this.running.delete(key);
    });
    this.running.set(key, { abort, done });
    return done;
  }

  /** Cancels every preparation and waits for them to end. */
  async close(): Promise<void> {
    const all = [...this.running.values()];
    for (const p of all) p.abort.abort();
    await Promise.all(all.map((p) => p.done));
  }
}
