/**
 * Warm-up bars of a live session: the venue's one-minute klines (REST) before now, folded into the
 * session's timeframe, the bar still forming left out (the live bar clock builds it). Fed to the
 * strategy with orders disabled, so its indicators are warm at the first live bar.
 */
import type { Candle } from "../../common/api/market.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";

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

/** Up to `count` closed bars of `tfMs` before `now` (none for timeframes under a minute). */
export async function warmupBars(source: KlineSource, feedId: string, symbol: string, tfMs: number, count: number, now: number): Promise<SessionBar[]> {
  if (tfMs < MINUTE || tfMs % MINUTE !== 0 || count <= 0) return [];
  const minutes = Math.min(MAX_WARMUP_MINUTES, (count * tfMs) / MINUTE);
  const end = Math.floor(now / tfMs) * tfMs;
  const candles = await source.candles(feedId, symbol, end - minutes * MINUTE, end - MINUTE, minutes);
  return foldCandles(candles, tfMs, end).slice(-count);
}
