/**
 * Strategy screens: one strategy, compiled once, backtested on every member of a universe on the
 * worker pool (several members at once, one per worker), each member's bars leased from the
 * store's hand-off cache. Each member is one sweep row of an empty grid, so a holdout gives its
 * out-of-sample metrics from the same run (columns `oos_*`); the screen ranks by `--metric` (default
 * totalReturn), out-of-sample when a holdout is given. A member that fails is a row with its error.
 */
import { ApiError } from "../../common/api/index.ts";
import type { ScreenRequest } from "../../common/api/screener.ts";
import type { ScreenRow, UniverseMember } from "../../common/screener/rank.ts";
import type { BacktestConfig, Metrics, SandboxLimits } from "../../common/strategy/results.ts";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import { leaseBars } from "../store/bars-cache.ts";
import type { Store } from "../store/index.ts";
import { SWEEP_SORT_KEYS } from "../strategy/report.ts";
import { prepareStrategy, resolveLimits, type PreparedStrategy } from "../strategy/runner.ts";
import { runSweepOnFile } from "../strategy/sweep-runner.ts";
import type { WorkerPool } from "../workers/pool.ts";

/** Options of {@link runStrategyScreen}. */
export interface StrategyScreenOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Type-check the strategy first (default true). */
  typecheck?: boolean;
  /** Runs one member's backtest elsewhere (the scale-out queue); the pool by default. */
  runMember?: MemberRunner;
}

/** Backtests one member's bars (a hand-off file of `bars` bars) as the single row of an empty-grid sweep. */
export type MemberRunner = (strategy: PreparedStrategy, ref: BarsFileRef, bars: number, config: BacktestConfig, limits: SandboxLimits, holdout: number, signal?: AbortSignal) => Promise<SweepRow[]>;

/** The default {@link MemberRunner}: on the local worker pool. */
function poolMemberRunner(pool: WorkerPool): MemberRunner {
  return (strategy, ref, bars, config, limits, holdout, signal) => runSweepOnFile(pool, strategy, ref, bars, config, limits, { grid: {}, holdout, concurrency: 1, ...(signal ? { signal } : {}) });
}

/** The metric columns of a strategy screen (and its `--metric` choices). */
export const STRATEGY_METRICS = SWEEP_SORT_KEYS;

const SHOWN: readonly (keyof Metrics)[] = ["totalReturn", "sharpe", "maxDrawdown", "winRate", "trades"];

/** The metric a request ranks by (refuses an unknown one, naming it). */
export function screenMetric(req: Pick<ScreenRequest, "metric" | "holdout">): string {
  const metric = req.metric ?? "totalReturn";
  if (!(STRATEGY_METRICS as readonly string[]).includes(metric)) throw new ApiError("bad_request", `unknown metric "${metric}" (known: ${STRATEGY_METRICS.join(", ")})`);
  return req.holdout > 0 ? `oos_${metric}` : metric;
}

function columnsOf(metric: string, holdout: boolean): string[] {
  const base = metric.replace(/^oos_/, "") as keyof Metrics;
  const names = [...new Set([base, ...SHOWN])];
  return holdout ? [...names.map((n) => `oos_${n}`), ...names] : names;
}

function metricCells(m: Metrics | null, names: readonly string[], prefix: string): Record<string, number | null> {
  const cells: Record<string, number | null> = {};
  for (const n of names) cells[`${prefix}${n}`] = m ? ((m[n as keyof Metrics] as number | null) ?? null) : null;
  return cells;
}

async function screenMember(runMember: MemberRunner, store: Store, strategy: PreparedStrategy, member: UniverseMember, req: ScreenRequest, columns: string[], signal?: AbortSignal): Promise<ScreenRow> {
  const row: ScreenRow = { venue: member.venue, symbol: member.symbol };
  try {
    const lease = await leaseBars(await store.market(), { symbol: member.symbol, venue: member.venue, timeframe: req.timeframe, from: req.from, to: req.to });
    try {
      if (lease.bars < 2) return { ...row, error: `too few bars (${lease.bars})` };
      const config = { cash: 100_000, commission: 0, slippageBps: 0, ...(req.params ? { params: req.params } : {}) };
      const limits = resolveLimits({ timeoutMs: Math.min(req.timeoutMs, 600_000) });
      const [result] = await runMember(strategy, lease.ref, lease.bars, config, limits, req.holdout, signal);
      if (!result?.ok) return { ...row, error: result?.error ?? "no result" };
      const names = columns.filter((c) => !c.startsWith("oos_"));
      return { ...row, ...(req.holdout > 0 ? metricCells(result.outOfSample, names, "oos_") : {}), ...metricCells(result.metrics, names, "") };
    } finally {
      lease.release();
    }
  } catch (err) {
    if (err instanceof ApiError && err.code === "cancelled") throw err;
    return { ...row, error: (err as Error).message.split("\n")[0]! };
  }
}

/** Backtests the request's strategy on every member; rows in member order. */
export async function runStrategyScreen(
  pool: WorkerPool,
  store: Store,
  members: readonly UniverseMember[],
  req: ScreenRequest,
  opts: StrategyScreenOptions,
): Promise<{ rows: ScreenRow[]; columns: string[]; metric: string }> {
  const metric = screenMetric(req);
  const columns = columnsOf(metric, req.holdout > 0);
  const { source, filename } = req.strategy!;
  const strategy = await prepareStrategy(source, filename, { typecheck: opts.typecheck ?? true });
  const rows = new Array<ScreenRow>(members.length);
  const runMember = opts.runMember ?? poolMemberRunner(pool);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < members.length) {
      if (opts.signal?.aborted) throw new ApiError("cancelled", "cancelled");
      const i = next++;
      rows[i] = await screenMember(runMember, store, strategy, members[i]!, req, columns, opts.signal);
      opts.onProgress?.(++done, members.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, members.length)) }, lane));
  return { rows, columns, metric };
}
