/**
 * Where bars of a timeframe begin and end, the one rule for the store's candles (SQL), live bars
 * and the charts. Fixed timeframes (1s … 1d) bucket as `floor(ts / len) * len` on UTC ms, so days
 * start at 00:00 UTC. Weeks start on Monday 00:00 UTC (a fixed 7 days counted from Monday
 * 1970-01-05). Months are calendar months in UTC, of varying length, bucketed by year and month.
 * A bar period is a timeframe name or, for fixed lengths without a name, a length in ms.
 */
import { TIMEFRAMES, type Timeframe } from "./bars.ts";

/** A timeframe name, or a fixed bar length in ms. */
export type BarPeriod = Timeframe | number;

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Monday 1970-01-05 00:00 UTC: the first week boundary after the epoch. */
const WEEK_OFFSET = 4 * DAY;

/** How a period buckets: a fixed length from an offset, or calendar months. */
type Rule = { kind: "fixed"; len: number; offset: number } | { kind: "month" };

function ruleOf(period: BarPeriod): Rule {
  if (typeof period === "number") {
    if (!Number.isInteger(period) || period <= 0) throw new RangeError(`a bar period must be a positive whole number of ms, not ${period}`);
    return { kind: "fixed", len: period, offset: 0 };
  }
  if (period === "1M") return { kind: "month" };
  if (period === "1w") return { kind: "fixed", len: WEEK, offset: WEEK_OFFSET };
  return { kind: "fixed", len: TIMEFRAMES[period], offset: 0 };
}

/** True when bars of `period` all have the same length (everything but calendar months). */
export function isFixedPeriod(period: BarPeriod): boolean {
  return ruleOf(period).kind === "fixed";
}

/** The open time (UTC ms) of the bar of `period` that contains `ts`. */
export function bucketStart(period: BarPeriod, ts: number): number {
  const rule = ruleOf(period);
  if (rule.kind === "month") {
    const d = new Date(ts);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  return Math.floor((ts - rule.offset) / rule.len) * rule.len + rule.offset;
}

/** The open time of the bar after the one that contains `ts` (its exclusive end). */
export function nextBucket(period: BarPeriod, ts: number): number {
  const rule = ruleOf(period);
  if (rule.kind === "month") {
    const d = new Date(ts);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return bucketStart(period, ts) + rule.len;
}

/** `ts` when it opens a bar of `period`, else the open of the next bar (a bucket-aligned exclusive end). */
export function bucketCeil(period: BarPeriod, ts: number): number {
  const start = bucketStart(period, ts);
  return start === ts ? ts : nextBucket(period, ts);
}

/** The open of the bar `n` bars before the one containing `ts` (`n` ≥ 0). */
export function bucketsBefore(period: BarPeriod, ts: number, n: number): number {
  const rule = ruleOf(period);
  const start = bucketStart(period, ts);
  if (rule.kind === "fixed") return start - n * rule.len;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1);
}

/**
 * True when bars `storedMs` long (fixed, aligned to the epoch) aggregate exactly into bars of
 * `period` (no stored bar straddles a boundary of `period`), or are bars of that length already.
 */
export function buildsFrom(period: BarPeriod, storedMs: number): boolean {
  const rule = ruleOf(period);
  if (rule.kind === "month") return storedMs <= DAY && DAY % storedMs === 0;
  if (storedMs === rule.len) return true;
  return storedMs <= rule.len && rule.len % storedMs === 0 && rule.offset % storedMs === 0;
}

/**
 * A DuckDB expression for the bucket of the BIGINT ms column or expression `col`. Fixed periods
 * without an offset keep the store's historic `col // len * len` (identical results, integer
 * arithmetic); weeks and months match {@link bucketStart} (before 1970 too).
 */
export function bucketSql(period: BarPeriod, col: string): string {
  const rule = ruleOf(period);
  if (rule.kind === "month") return `epoch_ms(date_trunc('month', make_timestamp((${col})::BIGINT * 1000)))`;
  if (rule.offset === 0) return `${col} // ${rule.len} * ${rule.len}`;
  return `(floor(((${col}) - ${rule.offset}) / ${rule.len})::BIGINT * ${rule.len} + ${rule.offset})`;
}

/** The GROUP BY key of {@link bucketSql}: a cheaper expression with the same groups where there is one. */
export function bucketKeySql(period: BarPeriod, col: string): string {
  const rule = ruleOf(period);
  return rule.kind === "fixed" && rule.offset === 0 ? `${col} // ${rule.len}` : bucketSql(period, col);
}

/** True for daily and longer bars, whose times are dates without a clock. */
export function isDateOnly(period: BarPeriod): boolean {
  return (typeof period === "number" ? period : TIMEFRAMES[period]) >= DAY;
}

/** The longest bar of `period` in ms (31 days for months): the most two bar times may be apart without a gap. */
export function longestBar(period: BarPeriod): number {
  const rule = ruleOf(period);
  return rule.kind === "month" ? 31 * DAY : rule.len;
}
