/**
 * Handlers of the `strategy.*` API entries: declarations for the editor, type-checking, backtests
 * and sweeps on the worker pool (progress, cancel through the call's signal), saved runs. Bars come
 * from a CSV/Parquet file or the store; every run is saved unless the caller says not to.
 */
import path from "node:path";
import { ApiError, type ParamsOut } from "../../common/api/index.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import { STRATEGY_API_DTS } from "../../common/strategy/dts.ts";
import type { BacktestConfig } from "../../common/strategy/results.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import { readBarsFromFile } from "../datafiles/index.ts";
import { loadBars } from "../store/candles.ts";
import type { Store } from "../store/index.ts";
import { StrategyCompileError, compileStrategy } from "../strategy/compile.ts";
import { checkBars, dataFacts } from "../strategy/data.ts";
import { backtestOnPool, prepareStrategy, resolveLimits, type PreparedStrategy } from "../strategy/runner.ts";
import type { RunDataSource } from "../strategy/runs.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import { runSweep } from "../strategy/sweep-runner.ts";
import { typecheckStrategy } from "../strategy/typecheck.ts";
import type { WorkerPool } from "../workers/pool.ts";

/** What the strategy handlers use. */
export interface StrategyDeps {
  pool: WorkerPool;
  store: Store;
  /** Worker processes a sweep may use at once. */
  workers: number;
}

type RunParams = ParamsOut<"strategy.backtest">;
type Methods = "strategy.dts" | "strategy.check" | "strategy.backtest" | "strategy.sweep" | "strategy.runs";

function configOf(p: RunParams): BacktestConfig {
  const config: BacktestConfig = { cash: p.cash, commission: p.commission, slippageBps: p.slippageBps };
  if (p.makerFee !== undefined) config.makerFee = p.makerFee;
  if (p.takerFee !== undefined) config.takerFee = p.takerFee;
  if (p.slippageTicks !== undefined) config.slippageTicks = p.slippageTicks;
  if (p.fillOn !== undefined) config.fillOn = p.fillOn;
  if (p.params !== undefined) config.params = p.params;
  if (p.seed !== undefined) config.seed = p.seed;
  if (p.tickSize !== undefined || p.lotSize !== undefined) config.instrument = { tickSize: p.tickSize, lotSize: p.lotSize };
  return config;
}

async function barsOf(p: RunParams, store: Store): Promise<{ bars: BarColumns; data: Omit<RunDataSource, "facts"> }> {
  const range = { ...(p.from !== undefined ? { from: p.from } : {}), ...(p.to !== undefined ? { to: p.to } : {}) };
  let bars: BarColumns;
  let source: string;
  let timeframe: string | null = null;
  if ("file" in p.data) {
    bars = await readBarsFromFile(p.data.file, range);
    source = path.resolve(p.data.file);
  } else {
    bars = await loadBars(await store.market(), { symbol: p.data.symbol, venue: p.data.venue, timeframe: p.data.timeframe, ...range });
    source = p.data.venue ? `${p.data.venue}:${p.data.symbol}` : p.data.symbol;
    timeframe = p.data.timeframe;
  }
  if (bars.time.length === 0) throw new ApiError("not_found", "no bars in that data and range");
  const problem = checkBars(bars);
  if (problem) throw new ApiError("bad_request", problem);
  return { bars, data: { source, symbol: bars.symbol, timeframe } };
}

async function prepared(p: { source: string; filename: string; typecheck: boolean }): Promise<PreparedStrategy> {
  try {
    return await prepareStrategy(p.source, p.filename, { typecheck: p.typecheck });
  } catch (err) {
    if (err instanceof StrategyCompileError) throw new ApiError("bad_request", err.message, { kind: "compile", diagnostics: err.diagnostics });
    throw err;
  }
}

const nameOf = (filename: string) => path.basename(filename).replace(/\.[cm]?[jt]s$/, "");

/** Builds the strategy part of the handler map. */
export function strategyHandlers(deps: StrategyDeps): PartialHandlers<Methods> {
  const repo = () => sqliteRunRepository(deps.store.app().db);
  return {
    "strategy.dts": () => ({ dts: STRATEGY_API_DTS }),
    "strategy.check": async (p) => {
      try {
        await compileStrategy(p.source, p.filename);
      } catch (err) {
        if (err instanceof StrategyCompileError) return { diagnostics: err.diagnostics };
        throw err;
      }
      return { diagnostics: await typecheckStrategy(p.source, p.filename) };
    },
    "strategy.backtest": async (p, ctx) => {
      const strategy = await prepared(p);
      const { bars, data } = await barsOf(p, deps.store);
      const config = configOf(p);
      const limits = resolveLimits({ ...(p.memoryMb ? { memoryMb: p.memoryMb } : {}), ...(p.timeoutMs ? { timeoutMs: p.timeoutMs } : {}) });
      const startedAt = Date.now();
      ctx.progress({ done: 0, total: bars.time.length, message: `backtesting on ${bars.time.length} bars` });
      const r = await backtestOnPool(deps.pool, strategy, bars, config, limits, { signal: ctx.signal });
      const runId = p.save
        ? repo().save({
            kind: "backtest",
            strategyName: nameOf(p.filename),
            strategySource: p.source,
            strategyHash: strategy.sourceHash,
            engineVersion: ENGINE_VERSION,
            params: r.params,
            data: { ...data, facts: dataFacts(bars) },
            config: { ...config, limits },
            startedAt,
            finishedAt: Date.now(),
            error: null,
            result: { finalEquity: r.finalEquity, cash: r.cash, metrics: r.metrics, trades: r.trades, orders: r.orders },
          })
        : null;
      return {
        bars: r.bars,
        trades: r.trades,
        finalEquity: r.finalEquity,
        cash: r.cash,
        metrics: r.metrics,
        orders: r.orders,
        equity: Array.from(r.equity),
        time: Array.from(bars.time),
        logs: r.logs,
        logsDropped: r.logsDropped,
        params: r.params,
        engineMs: r.engineMs,
        runId,
      };
    },
    "strategy.sweep": async (p, ctx) => {
      const strategy = await prepared(p);
      const { bars, data } = await barsOf(p, deps.store);
      const config = configOf(p);
      const limits = resolveLimits({ ...(p.memoryMb ? { memoryMb: p.memoryMb } : {}), ...(p.timeoutMs ? { timeoutMs: p.timeoutMs } : {}) });
      const startedAt = Date.now();
      const rows = await runSweep(deps.pool, strategy, bars, config, limits, {
        grid: p.grid,
        holdout: p.holdout,
        concurrency: deps.workers,
        signal: ctx.signal,
        onProgress: (done, total) => ctx.progress({ done, total, message: "combinations" }),
      });
      const runId = p.save
        ? repo().save({
            kind: "sweep",
            strategyName: nameOf(p.filename),
            strategySource: p.source,
            strategyHash: strategy.sourceHash,
            engineVersion: ENGINE_VERSION,
            grid: p.grid,
            holdout: p.holdout,
            data: { ...data, facts: dataFacts(bars) },
            config: { ...config, limits },
            startedAt,
            finishedAt: Date.now(),
            rows,
          })
        : null;
      return { rows, runId };
    },
    "strategy.runs": (p) => repo().list(p.limit),
  };
}
