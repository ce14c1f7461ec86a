/**
 * Walk-forward on the worker pool. For each fold: sweep the grid on its in-sample bars (a plain
 * sweep, no holdout), choose the best row by the objective, and run those params as a plain
 * backtest of the out-of-sample bars (a fresh strategy from the starting cash; with
 * `warmupBars`, that many earlier bars are fed first with orders disabled and left out of the
 * result). A fold whose sweep has no valid combination, or whose out-of-sample run fails, is
 * reported with its error and the walk-forward goes on. The out-of-sample results are stitched into one compounded equity curve.
 */
import { ApiError } from "../../common/api/index.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import { computeMetrics } from "../../common/strategy/metrics.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
export type { WalkForwardFold, WalkForwardResult };
import type { BacktestConfig, BacktestResult, Metrics, SandboxLimits } from "../../common/strategy/results.ts";
import { expandGrid, type ParamGrid, type SweepRow } from "../../common/strategy/sweep.ts";
import {
  bestRow,
  paramStability,
  walkForwardEfficiency,
  walkForwardWindows,
  type FoldWindows,
  type WalkForwardFold,
  type WalkForwardObjective,
  type WalkForwardResult,
  type WindowOptions,
} from "../../common/robustness/walkforward.ts";
import { sliceBars, stitchEquity, windowTimes, type FlatPart, type StitchPart } from "../../common/robustness/stitch.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { backtestOnPool, type PreparedStrategy } from "../strategy/runner.ts";
import { runSweep, type SweepOptions } from "../strategy/sweep-runner.ts";

/** Options of {@link runWalkForward}. */
export interface WalkForwardOptions extends WindowOptions {
  grid: ParamGrid;
  objective: WalkForwardObjective;
  /** Earlier bars fed to each out-of-sample run with orders disabled (default 0). */
  warmupBars: number;
  concurrency: number;
  signal?: AbortSignal;
  /** Progress in combinations: `done` of `total` (= folds × grid combinations). */
  onProgress?: (done: number, total: number) => void;
  /** Runs each fold's in-sample sweep elsewhere (the scale-out queue); the local pool by default. */
  sweep?: (bars: BarColumns, opts: SweepOptions) => Promise<SweepRow[]>;
}

/** Checks the grid before any work: throws a RangeError/TypeError with a one-line reason. */
export function checkWalkForwardGrid(grid: ParamGrid): void {
  if (Object.keys(grid).length === 0) throw new RangeError("the grid is empty: give at least one param with values");
  expandGrid(grid);
}

/** The out-of-sample backtest of one fold: the window's bars, preceded by up to `warmupBars` earlier bars fed with orders disabled. */
export async function outOfSampleRun(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarColumns,
  window: { from: number; to: number },
  params: StrategyParams,
  config: BacktestConfig,
  limits: SandboxLimits,
  warmupBars: number,
  signal?: AbortSignal,
): Promise<{ result: BacktestResult; metrics: Metrics; part: StitchPart }> {
  const warm = Math.min(warmupBars, window.from);
  const run = { ...config, params: { ...config.params, ...params }, ...(warm > 0 ? { warmupBars: warm } : {}) };
  const slice = sliceBars(bars, window.from - warm, window.to);
  const result = await backtestOnPool(pool, strategy, slice, run, limits, signal ? { signal } : {});
  const own = sliceBars(bars, window.from, window.to);
  const part: StitchPart = { time: own.time, close: own.close, equity: result.equity.subarray(warm), exposure: result.exposure.subarray(warm), trades: result.trades };
  const metrics = warm > 0 ? computeMetrics({ startCash: config.cash, ...part }) : result.metrics;
  return { result, metrics, part };
}

async function runFold(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarColumns,
  w: FoldWindows,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: WalkForwardOptions,
  onSweepProgress: (done: number) => void,
): Promise<{ fold: WalkForwardFold; part: StitchPart | null }> {
  const times = { inSample: windowTimes(bars.time, w.inSample), outOfSample: windowTimes(bars.time, w.outOfSample) };
  const isBars = sliceBars(bars, w.inSample.from, w.inSample.to);
  const sweepOpts = { grid: opts.grid, holdout: 0, concurrency: opts.concurrency, onProgress: onSweepProgress, ...(opts.signal ? { signal: opts.signal } : {}) };
  const rows = opts.sweep ? await opts.sweep(isBars, sweepOpts) : await runSweep(pool, strategy, isBars, config, limits, sweepOpts);
  const best = bestRow(rows, opts.objective);
  if (best === null) {
    const firstError = rows.find((r) => !r.ok);
    const error = `no valid combination in the in-sample window${firstError && !firstError.ok ? `: ${firstError.error}` : ""}`;
    const empty = { ...times.outOfSample, trades: [], metrics: null, finalEquity: null };
    return { fold: { inSample: times.inSample, outOfSample: empty, params: null, inSampleMetrics: null, efficiency: null, error }, part: null };
  }
  let run: Awaited<ReturnType<typeof outOfSampleRun>>;
  try {
    run = await outOfSampleRun(pool, strategy, bars, w.outOfSample, best.params, config, limits, opts.warmupBars, opts.signal);
  } catch (err) {
    if (err instanceof ApiError && err.code === "cancelled") throw err;
    const empty = { ...times.outOfSample, trades: [], metrics: null, finalEquity: null };
    const error = `the out-of-sample run failed: ${err instanceof Error ? err.message : String(err)}`;
    return { fold: { inSample: times.inSample, outOfSample: empty, params: best.params, inSampleMetrics: best.metrics, efficiency: null, error }, part: null };
  }
  const { result, metrics, part } = run;
  const outOfSample = { ...times.outOfSample, trades: result.trades, metrics, finalEquity: result.finalEquity };
  const efficiency = walkForwardEfficiency(metrics.cagr, best.metrics.cagr);
  return { fold: { inSample: times.inSample, outOfSample, params: best.params, inSampleMetrics: best.metrics, efficiency }, part };
}

/** Runs the walk-forward; throws a RangeError (too few bars, empty grid) before any work. */
export async function runWalkForward(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarColumns,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: WalkForwardOptions,
): Promise<WalkForwardResult> {
  checkWalkForwardGrid(opts.grid);
  const windows = walkForwardWindows(bars.time.length, opts);
  const combos = expandGrid(opts.grid).length;
  const total = windows.length * combos;
  const folds: WalkForwardFold[] = [];
  const parts: (StitchPart | FlatPart)[] = [];
  for (const w of windows) {
    const before = folds.length * combos;
    const { fold, part } = await runFold(pool, strategy, bars, w, config, limits, opts, (done) => opts.onProgress?.(before + done, total));
    folds.push(fold);
    const own = sliceBars(bars, w.outOfSample.from, w.outOfSample.to);
    parts.push(part ?? { flat: { time: own.time, close: own.close } });
    opts.onProgress?.(folds.length * combos, total);
  }
  const stitched = stitchEquity(config.cash, parts);
  const isCagrs = folds.map((f) => f.inSampleMetrics?.cagr).filter((x): x is number => typeof x === "number");
  const meanIs = isCagrs.length > 0 ? isCagrs.reduce((a, b) => a + b, 0) / isCagrs.length : null;
  return {
    folds,
    stitched,
    efficiency: walkForwardEfficiency(stitched.metrics.cagr, meanIs),
    stability: paramStability(folds.map((f) => f.params)),
  };
}
