/**
 * The pure parts of a walk-forward: cutting the bars into an in-sample window and `folds`
 * out-of-sample windows that follow each other (rolling or anchored), choosing a fold's params by
 * an objective, walk-forward efficiency and parameter stability.
 *
 * Windows: with n bars, F folds and ratio R, every out-of-sample window has L = ⌊n / (R + F)⌋ bars
 * and the first in-sample window the rest before them (n − F·L ≥ R·L bars, so the last fold ends
 * at the last bar). Rolling: fold k's in-sample window is the n − F·L bars before its
 * out-of-sample window; anchored: from bar 0 to its out-of-sample window.
 */
import type { StrategyParams } from "../strategy/api.ts";
import type { Metrics, TradeRecord } from "../strategy/results.ts";
import type { SweepRow } from "../strategy/sweep.ts";

/** Objectives a fold's params may be chosen by (higher is better). */
export const WALK_FORWARD_OBJECTIVES = ["totalReturn", "sharpe", "sortino", "cagr", "profitFactor"] as const;

/** A walk-forward objective. */
export type WalkForwardObjective = (typeof WALK_FORWARD_OBJECTIVES)[number];

/** Fewest bars a window may have. */
export const MIN_WINDOW_BARS = 2;

/** How to cut the bars. */
export interface WindowOptions {
  folds: number;
  /** In-sample length ÷ out-of-sample length (default 3). */
  inSampleRatio: number;
  anchored: boolean;
}

/** Bar index ranges of one fold (`to` exclusive). */
export interface FoldWindows {
  inSample: { from: number; to: number };
  outOfSample: { from: number; to: number };
}

/** Fewest bars a walk-forward of `folds` folds at ratio `ratio` needs (both windows of a fold at least {@link MIN_WINDOW_BARS}). */
export function minimumWalkForwardBars(folds: number, ratio: number): number {
  return Math.ceil((ratio + folds) * Math.max(MIN_WINDOW_BARS, Math.ceil(MIN_WINDOW_BARS / ratio)));
}

/** The folds' windows over `n` bars; throws a RangeError naming the minimum when there are too few. */
export function walkForwardWindows(n: number, opts: WindowOptions): FoldWindows[] {
  const { folds, inSampleRatio: ratio } = opts;
  if (!Number.isInteger(folds) || folds < 1) throw new RangeError("folds must be a whole number of at least 1");
  if (!(ratio > 0)) throw new RangeError("the in-sample ratio must be above 0");
  const oosLength = Math.floor(n / (ratio + folds));
  const isLength = n - folds * oosLength;
  const min = minimumWalkForwardBars(folds, ratio);
  if (n < min) {
    throw new RangeError(`a walk-forward of ${folds} folds at in-sample ratio ${ratio} needs at least ${min} bars (got ${n})`);
  }
  return Array.from({ length: folds }, (_, k) => {
    const oosFrom = isLength + k * oosLength;
    return { inSample: { from: opts.anchored ? 0 : oosFrom - isLength, to: oosFrom }, outOfSample: { from: oosFrom, to: oosFrom + oosLength } };
  });
}

/** The best ok row by `objective` (null metrics last, ties by grid order); null when no row is ok. */
export function bestRow(rows: readonly SweepRow[], objective: WalkForwardObjective): Extract<SweepRow, { ok: true }> | null {
  let best: Extract<SweepRow, { ok: true }> | null = null;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const row of [...rows].sort((a, b) => a.index - b.index)) {
    if (!row.ok) continue;
    const v = row.metrics[objective] ?? Number.NEGATIVE_INFINITY;
    if (best === null || v > bestValue) {
      best = row;
      bestValue = v;
    }
  }
  return best;
}

/** Walk-forward efficiency: annualised out-of-sample return ÷ annualised in-sample return; null when the latter is ≤ 0 or either is unknown. */
export function walkForwardEfficiency(oosCagr: number | null | undefined, isCagr: number | null | undefined): number | null {
  if (oosCagr === null || oosCagr === undefined || isCagr === null || isCagr === undefined || !(isCagr > 0)) return null;
  const e = oosCagr / isCagr;
  return Number.isFinite(e) ? e : null;
}

/** How often the chosen params change from one fold to the next (folds without params are skipped). */
export function paramStability(chosen: readonly (StrategyParams | null)[]): { changes: number; comparisons: number; ratio: number | null } {
  const seen = chosen.filter((p): p is StrategyParams => p !== null);
  let changes = 0;
  for (let i = 1; i < seen.length; i++) if (JSON.stringify(seen[i]) !== JSON.stringify(seen[i - 1])) changes++;
  const comparisons = Math.max(0, seen.length - 1);
  return { changes, comparisons, ratio: comparisons > 0 ? 1 - changes / comparisons : null };
}

/** One fold's outcome (times in UTC ms, `to` exclusive). */
export interface WalkForwardFold {
  inSample: { from: number; to: number };
  outOfSample: { from: number; to: number; trades: TradeRecord[]; metrics: Metrics | null; finalEquity: number | null };
  /** The chosen row's params (the grid's keys in the grid's order); null when no combination was valid. */
  params: StrategyParams | null;
  inSampleMetrics: Metrics | null;
  efficiency: number | null;
  /** Why the fold has no result. */
  error?: string;
}

/** A walk-forward's outcome. */
export interface WalkForwardResult {
  folds: WalkForwardFold[];
  stitched: { finalEquity: number; metrics: Metrics; time: number[]; equity: number[] };
  /** Stitched annualised out-of-sample return ÷ mean annualised in-sample return of the folds. */
  efficiency: number | null;
  /** How often the chosen params change between consecutive folds. */
  stability: { changes: number; comparisons: number; ratio: number | null };
}
