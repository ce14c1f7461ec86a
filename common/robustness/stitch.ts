/**
 * Bar windows and the stitched equity of a walk-forward: slicing columnar bars (views, no copy),
 * a window's times (UTC ms, `to` exclusive as `--to` is: the next bar's time, or one bar length
 * past the last bar), and chaining out-of-sample runs into one compounded equity curve — each
 * run started from the cash, so run k's equity (and its trades' P&L and fees) is scaled by the
 * stitched equity at its start ÷ the cash; a window without a run stays flat (in cash).
 */
import type { BarColumns } from "../market/bars.ts";
import { computeMetrics } from "../strategy/metrics.ts";
import type { Metrics, TradeRecord } from "../strategy/results.ts";

/** Bars `from` (inclusive) to `to` (exclusive), as views on the same columns. */
export function sliceBars(bars: BarColumns, from: number, to: number): BarColumns {
  return {
    symbol: bars.symbol,
    time: bars.time.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    volume: bars.volume.subarray(from, to),
  };
}

/** The UTC ms range of bars [from, to): the first bar's time and, exclusive, the next bar's (or the last bar's plus one bar length). */
export function windowTimes(time: Float64Array, w: { from: number; to: number }): { from: number; to: number } {
  const n = time.length;
  const last = time[w.to - 1]!;
  const step = n > 1 ? time[n - 1]! - time[n - 2]! : 1;
  return { from: time[w.from]!, to: w.to < n ? time[w.to]! : last + Math.max(1, step) };
}

/** One out-of-sample run's records over its own window. */
export interface StitchPart {
  time: Float64Array;
  close: Float64Array;
  equity: Float64Array;
  exposure: Uint8Array;
  trades: readonly TradeRecord[];
}

/** A window without a run: held in cash. */
export interface FlatPart {
  flat: { time: Float64Array; close: Float64Array };
}

/** The stitched curve and its metrics. */
export interface Stitched {
  finalEquity: number;
  metrics: Metrics;
  time: number[];
  equity: number[];
}

/** Chains the parts, in order, into one compounded curve from `cash`. */
export function stitchEquity(cash: number, parts: readonly (StitchPart | FlatPart)[]): Stitched {
  const n = parts.reduce((a, p) => a + ("flat" in p ? p.flat.time.length : p.time.length), 0);
  const time = new Float64Array(n);
  const close = new Float64Array(n);
  const equity = new Float64Array(n);
  const exposure = new Uint8Array(n);
  const trades: TradeRecord[] = [];
  let at = 0;
  let level = cash;
  for (const p of parts) {
    if ("flat" in p) {
      time.set(p.flat.time, at);
      close.set(p.flat.close, at);
      equity.fill(level, at, at + p.flat.time.length);
      at += p.flat.time.length;
      continue;
    }
    const f = level / cash;
    time.set(p.time, at);
    close.set(p.close, at);
    exposure.set(p.exposure, at);
    for (let i = 0; i < p.equity.length; i++) equity[at + i] = p.equity[i]! * f;
    for (const t of p.trades) trades.push({ ...t, pnl: t.pnl * f, fees: t.fees * f });
    at += p.time.length;
    level = p.equity.length > 0 ? p.equity[p.equity.length - 1]! * f : level;
  }
  const metrics = computeMetrics({ startCash: cash, time, close, equity, exposure, trades });
  return { finalEquity: n > 0 ? equity[n - 1]! : cash, metrics, time: Array.from(time), equity: Array.from(equity) };
}
