/** Quote arithmetic of the watchlist: last price, 24 h change and sparkline from hourly bars and live prices. */

/** What a watchlist row shows. */
export interface Quote {
  last: number;
  /** The price 24 h before the newest stored bar (null when unknown). */
  base: number | null;
  /** Fractional change over 24 h (null without a price 24 h ago). */
  change24h: number | null;
  /** Hourly closes of the last 24 h, oldest first. */
  spark: number[];
}

const DAY_MS = 86_400_000;

/** Computes a quote from hourly bars (times UTC ms, oldest first). */
export function quoteFromBars(time: readonly number[], close: readonly number[]): Quote | null {
  const n = close.length;
  if (n === 0) return null;
  const last = close[n - 1]!;
  const since = time[n - 1]! - DAY_MS;
  let base: number | null = null;
  for (let i = n - 1; i >= 0; i--) {
    if (time[i]! <= since) {
      base = close[i]!;
      break;
    }
  }
  return { last, base, change24h: base ? (last - base) / base : null, spark: close.slice(Math.max(0, n - 25)) };
}

/** A quote updated with a live last price (the sparkline's newest point moves with it). */
export function withLast(q: Quote | null | undefined, last: number): Quote {
  if (!q) return { last, base: null, change24h: null, spark: [last] };
  const spark = q.spark.length > 0 ? [...q.spark.slice(0, -1), last] : [last];
  return { ...q, last, spark, change24h: q.base ? (last - q.base) / q.base : null };
}
