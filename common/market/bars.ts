/**
 * Bars in columnar form: how bars travel from the store or a data file to a strategy worker
 * (typed arrays, no per-row objects). `time` is the bar's open time in UTC ms.
 */

/** A run of bars for one symbol, one column per field, all of equal length. */
export interface BarColumns {
  symbol: string;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Number of bars in a {@link BarColumns}. */
export function barCount(bars: BarColumns): number {
  return bars.time.length;
}

/** Allocates empty columns for `n` bars. */
export function allocateBars(symbol: string, n: number): BarColumns {
  return {
    symbol,
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/**
 * Timeframes charts and backtests understand, with their length in ms. 1w bars open on Monday
 * 00:00 UTC; 1M bars are calendar months, so their length here is the average month (for
 * estimates only). Where a bar begins and ends is `bucketStart`/`nextBucket` (./timeframes.ts).
 */
export const TIMEFRAMES = {
  "1s": 1_000,
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "4h": 14_400_000,
  "1d": 86_400_000,
  "1w": 604_800_000,
  "1M": 2_629_746_000,
} as const;

/** A timeframe name. */
export type Timeframe = keyof typeof TIMEFRAMES;

/** A bar length for people: its timeframe name ("1m"), else "N ms". */
export function timeframeLabel(ms: number): string {
  const name = (Object.keys(TIMEFRAMES) as Timeframe[]).find((k) => TIMEFRAMES[k] === ms);
  return name ?? `${ms} ms`;
}
