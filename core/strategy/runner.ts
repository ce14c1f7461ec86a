/**
 * Core's side of a backtest: compile (and type-check) the strategy once, then send it with the bars
 * to a worker process, which runs it in a sandbox and returns the result with metrics.
 */
import crypto from "node:crypto";
import type { BarColumns } from "../../common/market/bars.ts";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import { ApiError } from "../../common/api/errors.ts";
import type { EquityCurve } from "../../common/strategy/equity-curve.ts";
import type { SavedBodyGzip } from "../../common/worker/methods.ts";
import { paramsSizeProblem } from "../../common/strategy/engine/params.ts";
import { DEFAULT_LIMITS, type BacktestConfig, type BacktestResult, type EngineResult, type SandboxLimits } from "../../common/strategy/results.ts";
import type { WorkerPool, WorkerRequestOptions } from "../workers/pool.ts";
import { StrategyCompileError, compileStrategy, type CompiledStrategy, type ToolchainOptions } from "./compile.ts";
import { withBarsFile } from "./bars-handoff.ts";
import { typecheckStrategy } from "./typecheck.ts";

/** A strategy ready to run: compiled, with a hash of its source (its version). */
export interface PreparedStrategy extends CompiledStrategy {
  source: string;
  /** sha256 (hex) of the source text. */
  sourceHash: string;
}

/**
 * Compiles `source`; with `typecheck`, type errors fail it too (so does a check past its deadline
 * or heap limit). Throws {@link StrategyCompileError}.
 */
export async function prepareStrategy(source: string, filename: string, opts: ToolchainOptions & { typecheck: boolean }): Promise<PreparedStrategy> {
  const compiled = await compileStrategy(source, filename, opts);
  if (opts.typecheck) {
    const diagnostics = await typecheckStrategy(source, filename, opts);
    if (diagnostics.length > 0) throw new StrategyCompileError(diagnostics);
  }
  return { ...compiled, source, sourceHash: crypto.createHash("sha256").update(source).digest("hex") };
}

/** Full limits from partial ones. */
export function resolveLimits(limits: Partial<SandboxLimits> = {}): SandboxLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** Refuses a run's params (or a sweep's grid) over the size cap before any worker sees them. */
export function checkParamsSize(params: unknown, what = "params"): void {
  const problem = paramsSizeProblem(params, what);
  if (problem) throw new ApiError("bad_request", problem);
}

/** Runs one backtest on the pool (the bars travel through a hand-off file, not the IPC channel). */
export function backtestOnPool(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarColumns,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: WorkerRequestOptions = {},
): Promise<BacktestResult> {
  return withBarsFile(bars, (ref) => backtestOnFile(pool, strategy, ref, config, limits, opts));
}

/** Options of {@link backtestOnFile}. */
export interface BacktestOnFileOptions extends WorkerRequestOptions {
  /**
   * Only the thinned equity curve (a saved run's) is wanted: the worker thins it, and `equity` and
   * `exposure` come back empty (the per-bar arrays never cross the IPC channel).
   */
  thinCurve?: boolean;
  /** With `thinCurve`: the worker writes the saved run's result and gzips it (`saved`); the orders' text then stays there (`ordersJson` null). */
  savedBody?: boolean;
}

/** A backtest's result with its trades and orders still the worker's JSON texts (printed and stored as they are). */
export type BacktestText = Omit<BacktestResult, "trades" | "orders"> & {
  /** `JSON.stringify` of the trades, as the sandbox wrote it. */
  tradesJson: string;
  /** `JSON.stringify` of the orders, as the sandbox wrote it (null when `saved` has them). */
  ordersJson: string | null;
  equityCurve: EquityCurve | null;
  /** The saved run's result, gzipped by the worker (with `savedBody`). */
  saved: SavedBodyGzip | null;
};

/** {@link backtestOnFile} without parsing the trades and orders: they stay the sandbox's JSON texts. */
export async function backtestTextOnFile(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarsFileRef,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: BacktestOnFileOptions = {},
): Promise<BacktestText> {
  checkParamsSize(config.params);
  const { code, sourceMap, filename } = strategy;
  const { thinCurve, savedBody, ...requestOptions } = opts;
  const params = { code, sourceMap, filename, bars, config, limits, ...(thinCurve === true ? { thinCurve, ...(savedBody === true ? { savedBody } : {}) } : {}) };
  const { records, equity, exposure, metrics, engineMs, equityCurve, saved } = await pool.call("strategy.backtest", params, requestOptions);
  if (thinCurve === true && !equityCurve) throw new Error("internal: the worker sent no equity curve");
  if (records.orders === null && !saved) throw new Error("internal: the worker sent neither the orders nor the saved result");
  const rest = JSON.parse(records.rest) as Omit<EngineResult, "equity" | "exposure" | "trades" | "orders">;
  return { ...rest, tradesJson: records.trades, ordersJson: records.orders, equity, exposure, metrics, engineMs, equityCurve: equityCurve ?? null, saved: saved ?? null };
}

/** Runs a backtest on a worker with bars already in a hand-off file; `equityCurve` is set with `thinCurve`. */
export async function backtestOnFile(...args: Parameters<typeof backtestTextOnFile>): Promise<BacktestResult & { equityCurve: EquityCurve | null }> {
  const { tradesJson, ordersJson, saved: _saved, bars: count, ...rest } = await backtestTextOnFile(...args);
  if (ordersJson === null) throw new Error("internal: backtestOnFile needs the orders (no savedBody)");
  // The engine's field order: bars, trades, orders, then the rest.
  return { bars: count, trades: JSON.parse(tradesJson) as EngineResult["trades"], orders: JSON.parse(ordersJson) as EngineResult["orders"], ...rest };
}
