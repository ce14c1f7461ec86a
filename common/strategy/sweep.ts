/**
 * Sweep types and the pure parts of a sweep: expanding a parameter grid into combinations and
 * splitting a run's equity curve at the holdout boundary so each combination reports in-sample
 * and out-of-sample metrics from the same run (there is no look-ahead, so the in-sample part of a
 * full run decides exactly as a run on the in-sample bars alone would).
 */
import type { RowStats } from "../robustness/overfitting.ts";
import type { StrategyParams } from "./api.ts";
import { computeMetrics } from "./metrics.ts";
import type { EngineResult, Metrics } from "./results.ts";

/** A parameter grid: param name → values to try. */
export type ParamGrid = Record<string, (number | boolean | string)[]>;

/**
 * The outcome of one combination. `stats` (the in-sample return sums for the overfitting
 * statistics) travels from the worker to core only; core takes it off before rows are shown or saved.
 */
export type SweepRow =
  | { index: number; params: StrategyParams; ok: true; finalEquity: number; metrics: Metrics; outOfSample: Metrics | null; stats?: RowStats }
  | { index: number; params: StrategyParams; ok: false; error: string };

/** The metrics a sweep table sorts by and a strategy screen ranks by. */
export const SWEEP_SORT_KEYS = ["totalReturn", "sharpe", "sortino", "cagr", "maxDrawdown", "winRate", "profitFactor", "trades"] as const;

/** A sweep sort key. */
export type SweepSortKey = (typeof SWEEP_SORT_KEYS)[number];

/** Most combinations one sweep may have. */
export const MAX_COMBINATIONS = 100_000;

/** Every combination of the grid, first key varying slowest. */
export function expandGrid(grid: ParamGrid): StrategyParams[] {
  let combos: StrategyParams[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) throw new TypeError(`grid entry "${name}" must be a non-empty array`);
    if (combos.length * values.length > MAX_COMBINATIONS) throw new RangeError(`the grid has more than ${MAX_COMBINATIONS} combinations`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

/** Metrics of the bars before `split` (in-sample) and from `split` on (out-of-sample, rebased). */
export function splitMetrics(
  r: Pick<EngineResult, "equity" | "exposure" | "trades">,
  bars: { time: Float64Array; close: Float64Array },
  startCash: number,
  split: number,
): { inSample: Metrics; outOfSample: Metrics | null } {
  const n = r.equity.length;
  if (split <= 0 || split >= n) {
    const m = computeMetrics({ startCash, time: bars.time, close: bars.close, equity: r.equity, exposure: r.exposure, trades: r.trades });
    return { inSample: m, outOfSample: null };
  }
  const splitTime = bars.time[split]!;
  const isTrades = r.trades.filter((t) => t.exitTime !== null && t.exitTime < splitTime);
  const oosTrades = r.trades.filter((t) => t.exitTime === null || t.exitTime >= splitTime);
  const part = (from: number, to: number) => ({
    time: bars.time.subarray(from, to),
    close: bars.close.subarray(from, to),
    equity: r.equity.subarray(from, to),
    exposure: r.exposure.subarray(from, to),
  });
  return {
    inSample: computeMetrics({ startCash, ...part(0, split), trades: isTrades }),
    outOfSample: computeMetrics({ startCash: r.equity[split - 1]!, ...part(split, n), trades: oosTrades }),
  };
}
