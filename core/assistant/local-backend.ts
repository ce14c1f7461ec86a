/**
 * The strategy half of the assistant's backend on the strategy runtime itself: esbuild transpile
 * and the TypeScript check against the "workstation" declarations, saved versions in the app
 * database, and backtests and sweeps in isolated-vm sandboxes on the worker pool — the same path
 * as `workstation backtest`, with every run saved. Bars come from an injected loader (core's
 * store, or a running core's API from the CLI).
 */
import type { AppDb } from "../store/app-db.ts";
import type { StrategyDiagnostic } from "../../common/api/assistant.ts";
import type { BarColumns, Timeframe } from "../../common/market/bars.ts";
import type { BacktestConfig, BacktestResult } from "../../common/strategy/results.ts";
import type { SweepRow } from "../../common/strategy/sweep.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { checkBars, dataFacts } from "../strategy/data.ts";
import { backtestOnPool, prepareStrategy, resolveLimits, type PreparedStrategy } from "../strategy/runner.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import { runSweep as sweepOnPool } from "../strategy/sweep-runner.ts";
import { strategyDiagnostics } from "../strategy/typecheck.ts";
import type { WorkerPool } from "../workers/pool.ts";
import type { AssistantBackend, BacktestRequest, RunCosts, SweepRequest } from "./backend.ts";
import type { ResultCache } from "./result-cache.ts";
import { loadStrategy, saveStrategyVersion, strategyNames } from "../strategy/library.ts";
import { thinEquityCurve } from "../../common/strategy/equity-curve.ts";
import { longestBar } from "../../common/market/timeframes.ts";

/** Loads the bars of a symbol and timeframe in [from, to). */
export type BarsLoader = (req: { symbol: string; timeframe: Timeframe; from?: number; to?: number }, signal: AbortSignal) => Promise<BarColumns>;

/** What the strategy backend uses. */
export interface LocalStrategyDeps {
  app: () => AppDb;
  pool: () => WorkerPool;
  loadBars: BarsLoader;
  /** Default starting cash (the issue's CLI default). */
  defaultCash?: number;
  /** The cash and costs of runs (core: the UI run form's defaults); cash 100,000 and no costs without it. */
  costs?: () => RunCosts;
  /** Keeps full results for the results panel (core only). */
  results?: ResultCache;
}

/** Transpile errors, then type errors, as diagnostics (empty = fine). */
export async function checkStrategySource(name: string, code: string, signal?: AbortSignal): Promise<StrategyDiagnostic[]> {
  const diagnostics = await strategyDiagnostics(code, `${name}.ts`, signal ? { signal } : {});
  return diagnostics.map(({ line, column, message }) => ({ line, column, message }));
}

function strategyOf(deps: LocalStrategyDeps, name: string): { name: string; source: string } {
  const saved = loadStrategy(deps.app().db, name);
  if (saved) return saved;
  const known = strategyNames(deps.app().db, 20);
  throw new Error(`no saved strategy named "${name}"${known.length ? ` (saved: ${known.join(", ")})` : "; save one with write_strategy first"}`);
}

async function barsFor(deps: LocalStrategyDeps, req: BacktestRequest | SweepRequest, signal: AbortSignal): Promise<BarColumns> {
  const bars = await deps.loadBars({ symbol: req.symbol, timeframe: req.timeframe, ...(req.from !== undefined ? { from: req.from } : {}), ...(req.to !== undefined ? { to: req.to } : {}) }, signal);
  if (bars.time.length === 0) throw new Error(`no ${req.timeframe} bars of ${req.symbol} in that range`);
  const problem = checkBars(bars);
  if (problem) throw new Error(`${req.symbol}: ${problem}`);
  return bars;
}

function saveBacktest(deps: LocalStrategyDeps, req: BacktestRequest, strategy: PreparedStrategy, name: string, bars: BarColumns, config: BacktestConfig, result: BacktestResult, startedAt: number): number | null {
  try {
    return sqliteRunRepository(deps.app().db).save({
      kind: "backtest",
      strategyName: name,
      strategySource: strategy.source,
      strategyHash: strategy.sourceHash,
      engineVersion: ENGINE_VERSION,
      params: result.params,
      data: { source: req.symbol, symbol: req.symbol, timeframe: req.timeframe, facts: dataFacts(bars, longestBar(req.timeframe)) },
      config: { ...config, by: "assistant" },
      startedAt,
      finishedAt: Date.now(),
      error: null,
      result: { finalEquity: result.finalEquity, cash: result.cash, metrics: result.metrics, trades: result.trades, orders: result.orders, equityCurve: thinEquityCurve(bars.time, result.equity) },
    });
  } catch {
    return null;
  }
}

function keepResult(cache: ResultCache, runId: number | null, name: string, req: BacktestRequest, bars: BarColumns, result: BacktestResult): string {
  return cache.put({
    runId,
    strategy: name,
    symbol: req.symbol,
    venue: "",
    timeframe: req.timeframe,
    params: result.params,
    bars: result.bars,
    metrics: result.metrics,
    trades: result.trades,
    orders: result.orders,
    equityTime: Array.from(bars.time.subarray(0, result.equity.length)),
    equity: Array.from(result.equity),
    finalEquity: result.finalEquity,
    logs: result.logs,
  });
}

/** The strategy part of {@link AssistantBackend}. */
export function localStrategyBackend(deps: LocalStrategyDeps): Pick<AssistantBackend, "checkStrategy" | "saveStrategy" | "backtest" | "sweep"> {
  const baseConfig = (cash: number | undefined): BacktestConfig => {
    const costs = deps.costs?.() ?? { cash: deps.defaultCash ?? 100_000, commission: 0, slippageBps: 0 };
    return { cash: cash ?? costs.cash, commission: costs.commission, slippageBps: costs.slippageBps, seed: 1 };
  };
  return {
    checkStrategy: (name, code, signal) => checkStrategySource(name, code, signal),
    saveStrategy: async (name, code) => ({ version: saveStrategyVersion(deps.app().db, name, code, "written by the assistant").version }),
    backtest: async (req, signal, onProgress) => {
      const saved = strategyOf(deps, req.strategy);
      const startedAt = Date.now();
      const bars = await barsFor(deps, req, signal);
      const strategy = await prepareStrategy(saved.source, `${saved.name}.ts`, { typecheck: true, signal });
      const config: BacktestConfig = { ...baseConfig(req.cash), ...(req.params ? { params: req.params } : {}) };
      onProgress?.({ done: 0, total: 1, message: `backtesting ${saved.name} on ${bars.time.length} bars` });
      const result = await backtestOnPool(deps.pool(), strategy, bars, config, resolveLimits(), { signal });
      const runId = saveBacktest(deps, req, strategy, saved.name, bars, config, result, startedAt);
      const resultId = deps.results ? keepResult(deps.results, runId, saved.name, req, bars, result) : null;
      const costs = { cash: config.cash, commission: config.commission, slippageBps: config.slippageBps };
      return { runId, resultId, bars: result.bars, finalEquity: result.finalEquity, metrics: { ...result.metrics }, trades: result.trades, logs: result.logs, costs };
    },
    sweep: async (req, signal, onProgress) => {
      const saved = strategyOf(deps, req.strategy);
      const bars = await barsFor(deps, req, signal);
      const strategy = await prepareStrategy(saved.source, `${saved.name}.ts`, { typecheck: true, signal });
      const pool = deps.pool();
      const rows: SweepRow[] = await sweepOnPool(pool, strategy, bars, baseConfig(undefined), resolveLimits(), {
        grid: req.grid,
        holdout: 0,
        concurrency: Math.max(1, pool.status().alive),
        signal,
        onProgress: (done, total) => onProgress?.({ done, total }),
      });
      return { rows: rows.map((r) => (r.ok ? { params: r.params, metrics: { ...r.metrics } } : { params: r.params, metrics: null, error: r.error })) };
    },
  };
}
