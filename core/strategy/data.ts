/**
 * Facts about a run's bars that go into the saved run: a hash of the data (so a rerun on other
 * data shows) and whether the range had gaps. A gap is a spacing between consecutive bars above
 * five times the median spacing (or the timeframe when given): weekends and holidays of daily
 * session data stay below it, a missing hour of minute bars does not.
 */
import crypto from "node:crypto";
import type { BarColumns } from "../../common/market/bars.ts";

/** Hash and gap facts of a bar range. */
export interface DataFacts {
  /** sha256 (hex) of the symbol and the six columns' bytes. */
  hash: string;
  bars: number;
  from: number | null;
  to: number | null;
  gaps: number;
  maxGapMs: number;
}

function medianSpacing(time: Float64Array): number {
  const n = Math.min(time.length - 1, 10_001);
  if (n <= 0) return 0;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = time[i + 1]! - time[i]!;
  d.sort();
  return d[n >> 1]!;
}

/** Hash and gaps of `bars`; `timeframeMs` sets the expected spacing when known. */
export function dataFacts(bars: BarColumns, timeframeMs?: number): DataFacts {
  const h = crypto.createHash("sha256");
  h.update(bars.symbol);
  for (const col of [bars.time, bars.open, bars.high, bars.low, bars.close, bars.volume]) h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  const n = bars.time.length;
  const limit = (timeframeMs ?? medianSpacing(bars.time)) * (timeframeMs ? 1 : 5);
  let gaps = 0;
  let maxGapMs = 0;
  for (let i = 1; i < n; i++) {
    const d = bars.time[i]! - bars.time[i - 1]!;
    if (limit > 0 && d > limit) {
      gaps++;
      maxGapMs = Math.max(maxGapMs, d);
    }
  }
  return { hash: h.digest("hex"), bars: n, from: n > 0 ? bars.time[0]! : null, to: n > 0 ? bars.time[n - 1]! : null, gaps, maxGapMs };
}

/** Why the bars cannot be backtested (unsorted times, non-finite prices), or null. */
export function checkBars(bars: BarColumns): string | null {
  const { time, open, high, low, close } = bars;
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i]!)) return `bar ${i} has no valid time`;
    if (i > 0 && time[i]! <= time[i - 1]!) return `bar times must increase (bar ${i} at ${time[i]} follows ${time[i - 1]})`;
    if (![open[i]!, high[i]!, low[i]!, close[i]!].every(Number.isFinite)) return `bar ${i} has a non-finite price`;
  }
  return null;
}
