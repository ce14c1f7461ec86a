/**
 * Cost and warm-up sensitivity on the worker pool. Cost: the same run at 0×, 1×, 2× and 3× the
 * fees and slippage, and the break-even cost (the per-fill cost rate, all else free, at which the
 * total return reaches 0). Warm-up: the same window run with 0, 100 and 500 earlier bars fed
 * first with orders disabled — results that differ mean an indicator depends on where the data
 * starts.
 */
import type { BarColumns } from "../../common/market/bars.ts";
import { COST_MULTIPLIERS, WARMUP_OFFSETS, breakEvenRate, flatCost, scaleCosts } from "../../common/robustness/sensitivity.ts";
import type { BacktestConfig, Metrics, SandboxLimits } from "../../common/strategy/results.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { backtestOnPool, type PreparedStrategy } from "../strategy/runner.ts";
import { outOfSampleRun } from "./walkforward.ts";

/** One run of a sensitivity table. */
export interface SensitivityRow {
  finalEquity: number;
  metrics: Metrics;
}

/** Cost sensitivity. */
export interface CostSensitivity {
  rows: (SensitivityRow & { multiplier: number })[];
  /** Per-fill cost rate (fraction of notional) at which the total return reaches 0; 0 without an edge; null above 50 %. */
  breakEvenCost: number | null;
}

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

/** Warm-up sensitivity. */
export interface WarmupSensitivity {
  rows: (SensitivityRow & { warmupBars: number })[];
  /** True when any offset's trades or final equity differ from the first's. */
  differs: boolean;
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
