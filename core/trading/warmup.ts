/**
 * Warm-up bars of a live session: the closed bars of its timeframe before now, the bar still
 * forming left out (the live bar clock builds it). The local market store first (its bars of the
 * venue and symbol, built from recorded trades or stored bars); the venue's one-minute klines (REST),
 * folded into the timeframe, only for the part of the window the store lacks (before its first or
 * after its last bar). Fed to the strategy with orders disabled, so its indicators are warm at the
 * first live bar.
 */
import type { Candle } from "../../common/api/market.ts";
import { TIMEFRAMES, type Timeframe } from "../../common/market/bars.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";
import { candlePage } from "../store/candles.ts";
import type { Store } from "../store/index.ts";

/** Where 1m klines come from (the feed manager). */
export interface KlineSource {
  candles(feedId: string, symbol: string, from: number, to: number, limit: number): Promise<Candle[]>;
}

const MINUTE = 60_000;
/** Most one-minute klines asked for (one REST page on every venue). */
export const MAX_WARMUP_MINUTES = 1000;

/** Folds 1m candles into bars of `tfMs` (a multiple of a minute), oldest first; candles before `before` only. */
export function foldCandles(candles: readonly Candle[], tfMs: number, before: number): SessionBar[] {
  const bars: SessionBar[] = [];
  for (const c of candles) {
    const time = Math.floor(c.t / tfMs) * tfMs;
    if (time + tfMs > before) continue;
    const [open, high, low, close, volume] = [c.open, c.high, c.low, c.close, c.volume].map(Number) as [number, number, number, number, number];
    const last = bars[bars.length - 1];
    if (last && last.time === time) {
      last.high = Math.max(last.high, high);
      last.low = Math.min(last.low, low);
      last.close = close;
      last.volume += volume;
    } else bars.push({ time, open, high, low, close, volume });
  }
  return bars;
}

/** Where stored bars come from: the newest `limit` bars of [from, to); none when the store has none. */
export interface StoredBarSource {
  bars(venue: string, symbol: string, timeframe: Timeframe, from: number, to: number, limit: number): Promise<SessionBar[]>;
}

/** The local market store as a {@link StoredBarSource} (a symbol it does not hold gives no bars). */
export function storeBarSource(store: Pick<Store, "withMarket">): StoredBarSource {
  return {
    bars: (venue, symbol, timeframe, from, to, limit) =>
      store
        .withMarket((db) => candlePage(db, { venue, symbol, timeframe, from, to, limit }))
        .then((p) => p.time.map((time, i) => ({ time, open: p.open[i]!, high: p.high[i]!, low: p.low[i]!, close: p.close[i]!, volume: p.volume[i]! })))
        .catch(() => []),
  };
}

/** Closed bars of `tfMs` in [from, to) from 1m klines (none under a minute; at most {@link MAX_WARMUP_MINUTES}). */
async function klineBars(source: KlineSource, feedId: string, symbol: string, tfMs: number, from: number, to: number): Promise<SessionBar[]> {
  if (tfMs < MINUTE || tfMs % MINUTE !== 0 || to <= from) return [];
  const minutes = Math.min(MAX_WARMUP_MINUTES, (to - from) / MINUTE);
  const candles = await source.candles(feedId, symbol, to - minutes * MINUTE, to - MINUTE, minutes);
  return foldCandles(candles, tfMs, to).filter((b) => b.time >= from);
}

/**
 * Up to `count` closed bars of `timeframe` before `now`: the store's, and REST klines (1m and up)
 * only for what it lacks. A kline failure rejects (the session starts cold, as without a store).
 */
export async function warmupBars(
  source: KlineSource,
  feedId: string,
  symbol: string,
  timeframe: Timeframe,
  count: number,
  now: number,
  stored?: StoredBarSource,
): Promise<SessionBar[]> {
  const tfMs = TIMEFRAMES[timeframe];
  if (count <= 0) return [];
  const end = Math.floor(now / tfMs) * tfMs;
  const start = end - count * tfMs;
  const local = stored ? (await stored.bars(feedId, symbol, timeframe, start, end, count)).filter((b) => b.time >= start && b.time < end) : [];
  const first = local[0]?.time ?? end;
  const after = local.length > 0 ? local[local.length - 1]!.time + tfMs : end;
  const before = first > start ? await klineBars(source, feedId, symbol, tfMs, start, first) : [];
  const tail = local.length > 0 && after < end ? await klineBars(source, feedId, symbol, tfMs, after, end) : [];
  return [...before, ...local, ...tail].slice(-count);
}
