/**
 * Cost and warm-up sensitivity on the worker pool. Cost: the same run at 0×, 1×, 2× and 3× the
 * fees and slippage, and the break-even cost (the per-fill cost rate, all else free, at which the
 * total return reaches 0). Warm-up: the same window run with 0, 100 and 500 earlier bars fed
 * first with orders disabled — results that differ mean an indicator depends on where the data
 * starts.
 */
import type { BarColumns } from "../../common/market/bars.ts";
import { COST_MULTIPLIERS, WARMUP_OFFSETS, breakEvenRate, flatCost, scaleCosts } from "../../common/robustness/sensitivity.ts";
import type { CostSensitivity, SensitivityTables, WarmupSensitivity } from "../../common/robustness/sensitivity.ts";
import { sliceBars } from "../../common/robustness/stitch.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { backtestOnPool, type PreparedStrategy } from "../strategy/runner.ts";
import { outOfSampleRun } from "./walkforward.ts";

export type { CostSensitivity, SensitivityRow, SensitivityTables, WarmupSensitivity } from "../../common/robustness/sensitivity.ts";

/** Runs the cost multipliers and the break-even search over `bars`. */
export async function costSensitivity(pool: WorkerPool, strategy: PreparedStrategy, bars: BarColumns, config: BacktestConfig, limits: SandboxLimits, signal?: AbortSignal): Promise<CostSensitivity> {
  const run = (c: BacktestConfig) => backtestOnPool(pool, strategy, bars, c, limits, signal ? { signal } : {});
  const rows: CostSensitivity["rows"] = [];
  for (const multiplier of COST_MULTIPLIERS) {
    const r = await run(scaleCosts(config, multiplier));
    rows.push({ multiplier, finalEquity: r.finalEquity, metrics: r.metrics });
  }
  const breakEvenCost = await breakEvenRate(async (rate) => (await run(flatCost(config, rate))).metrics.totalReturn);
  return { rows, breakEvenCost };
}

/**
 * Runs bars [`from`, end) with each offset's earlier bars fed first (offsets past the first bar are
 * left out).
 */
export async function warmupSensitivity(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarColumns,
  from: number,
  config: BacktestConfig,
  limits: SandboxLimits,
  signal?: AbortSignal,
): Promise<WarmupSensitivity> {
  const rows: WarmupSensitivity["rows"] = [];
  const fingerprints: string[] = [];
  for (const warmupBars of WARMUP_OFFSETS.filter((w) => w <= from)) {
    const { result, metrics } = await outOfSampleRun(pool, strategy, bars, { from, to: bars.time.length }, {}, config, limits, warmupBars, signal);
    rows.push({ warmupBars, finalEquity: result.finalEquity, metrics });
    fingerprints.push(JSON.stringify([result.finalEquity, result.trades]));
  }
  return { rows, differs: fingerprints.some((f) => f !== fingerprints[0]) };
}

/** The first bar index at or after `time` (bars.length when none). */
export function barIndexAt(bars: BarColumns, time: number): number {
  let lo = 0;
  let hi = bars.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars.time[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The asked-for tables over `all` (the bars up to `--to`, from the first): the run starts at the
 * first bar at or after `fromTime`, or without it at bar 500 (half-way through shorter data).
 * Fewer than 2 bars from there: a RangeError.
 */
export async function runSensitivity(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  all: BarColumns,
  opts: { fromTime?: number | undefined; costs: boolean; warmup: boolean; config: BacktestConfig; limits: SandboxLimits; signal?: AbortSignal },
): Promise<SensitivityTables> {
  const n = all.time.length;
  const from = opts.fromTime !== undefined ? barIndexAt(all, opts.fromTime) : Math.min(Math.max(...WARMUP_OFFSETS), Math.floor(n / 2));
  if (n - from < 2) throw new RangeError(`sensitivity needs at least 2 bars from --from on (got ${n - from})`);
  const window = opts.fromTime !== undefined ? sliceBars(all, from, n) : all;
  const costs = opts.costs ? await costSensitivity(pool, strategy, window, opts.config, opts.limits, opts.signal) : null;
  const warmup = opts.warmup ? await warmupSensitivity(pool, strategy, all, from, opts.config, opts.limits, opts.signal) : null;
  return { ...(costs ? { costs } : {}), ...(warmup ? { warmup } : {}) };
}
