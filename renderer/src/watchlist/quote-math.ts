/** Quote arithmetic of the watchlist: last price, 24 h change, 24 h volume and sparkline from hourly bars and live prices. */

/** What a watchlist row shows. */
export interface Quote {
  last: number;
  /** The last price exactly as the feed wrote it, when a live trade or quote gave one. */
  lastText: string | null;
  /** True once the last price comes from the live feed rather than the newest stored bar. */
  live: boolean;
  /** The price 24 h before the newest stored bar (null when unknown). */
  base: number | null;
  /** Fractional change over 24 h (null without a price 24 h ago). */
  change24h: number | null;
  /** Hourly closes of the last 24 h, oldest first. */
  spark: number[];
  /** Volume of the hourly bars of the last 24 h (null when the bars carry none). */
  volume24h: number | null;
}

const DAY_MS = 86_400_000;

/** The volume of the bars after `since` (UTC ms); null without volumes. */
function volumeSince(time: readonly number[], volume: readonly number[] | undefined, since: number): number | null {
  if (!volume || volume.length !== time.length) return null;
  let sum = 0;
  for (let i = time.length - 1; i >= 0 && time[i]! > since; i--) sum += volume[i]!;
  return sum;
}

/** Computes a quote from hourly bars (times UTC ms, oldest first). */
export function quoteFromBars(time: readonly number[], close: readonly number[], volume?: readonly number[]): Quote | null {
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
  return { last, lastText: null, live: false, base, change24h: base ? (last - base) / base : null, spark: close.slice(Math.max(0, n - 25)), volume24h: volumeSince(time, volume, since) };
}

/**
 * A quote updated with a live last price (the sparkline's newest point moves with it); `text` is
 * the price as the feed wrote it, when it wrote one (a mid computed from bid and ask has none).
 */
export function withLast(q: Quote | null | undefined, last: number, text: string | null = null): Quote {
  if (!q) return { last, lastText: text, live: true, base: null, change24h: null, spark: [last], volume24h: null };
  const spark = q.spark.length > 0 ? [...q.spark.slice(0, -1), last] : [last];
  return { ...q, last, lastText: text, live: true, spark, change24h: q.base ? (last - q.base) / q.base : null };
}

/**
 * A quote recomputed from stored bars that keeps a live last price already shown: the periodic
 * refresh from the store must not put an older stored close back in its place.
 */
export function refreshed(fromBars: Quote | null, shown: Quote | null | undefined): Quote | null {
  if (!fromBars) return shown ?? null;
  return shown?.live ? withLast(fromBars, shown.last, shown.lastText) : fromBars;
}
