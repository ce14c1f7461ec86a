/**
 * Handlers of the `strategy.*` API entries: declarations for the editor, type-checking, backtests
 * and sweeps on the worker pool, or through the scale-out queue when Compute is set to one (progress,
 * cancel through the call's signal), saved runs. Bars come
 * from a CSV/Parquet file or the store (through its warm hand-off cache, see `run-bars.ts`); every
 * run is saved (with a thinned equity curve) unless the caller says not to; saved runs are listed
 * and read back in full by id.
 */
import path from "node:path";
import { ApiError, type ParamsOut } from "../../common/api/index.ts";
import { STRATEGY_API_DTS } from "../../common/strategy/dts.ts";
import type { BacktestConfig, OrderRecord, SandboxLimits, TradeRecord } from "../../common/strategy/results.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { Store } from "../store/index.ts";
import { asApiCompileError } from "../strategy/compile.ts";
import { backtestTextOnFile, resolveLimits, type PreparedStrategy } from "../strategy/runner.ts";
import { withRunBars } from "../strategy/run-bars.ts";
import { savedResultText } from "../strategy/runs.ts";
import { sqliteRunRepository } from "../strategy/runs-sqlite.ts";
import { prepareStrategyCached } from "../strategy/strategy-cache.ts";
import { runSweepOnFile } from "../strategy/sweep-runner.ts";
import type { RowStats } from "../../common/robustness/overfitting.ts";
import { sweepStatistics } from "../robustness/sweep-statistics.ts";
import { strategyDiagnostics } from "../strategy/typecheck.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { thinEquityCurve } from "../../common/strategy/equity-curve.ts";
import { progressMessage } from "../../common/text/eta.ts";
import type { ComputeService } from "../compute/service.ts";
import { readBarsFile, runSweepViaQueue } from "../compute/sweep-queue.ts";

/** What the strategy handlers use. */
export interface StrategyDeps {
  pool: WorkerPool;
  store: Store;
  /** Worker processes a sweep may use at once. */
  workers: number;
  /** Where sweeps run when Compute is set to a queue (the pool otherwise). */
  compute?: ComputeService;
  /** Called before a run reads a series from the store, with fresh data wanted (the simulated venue's history). */
  ensureSeries?: (venue: string | undefined, symbol: string, fresh: boolean) => Promise<void>;
}

type RunParams = ParamsOut<"strategy.backtest">;
type Methods = "strategy.dts" | "strategy.check" | "strategy.backtest" | "strategy.sweep" | "strategy.runs" | "strategy.run";

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

/** Compiles (and type-checks, through the data directory's type-check cache) a request's strategy; compile errors become `bad_request` with the diagnostics. */
export async function prepared(dataDir: string, p: { source: string; filename: string; typecheck: boolean }, signal: AbortSignal): Promise<PreparedStrategy> {
  try {
    // Through the data directory's type-check cache (shared with the CLI); an unusable entry is just checked again.
    return await prepareStrategyCached(dataDir, p.source, p.filename, { typecheck: p.typecheck, signal }, () => undefined);
  } catch (err) {
    throw asApiCompileError(err);
  }
}

const limitsOf = (p: RunParams) => resolveLimits({ ...(p.memoryMb ? { memoryMb: p.memoryMb } : {}), ...(p.timeoutMs ? { timeoutMs: p.timeoutMs } : {}) });

/** A run request's config and sandbox limits (shared with the robustness handlers). */
export function runConfigOf(p: RunParams): { config: BacktestConfig; limits: SandboxLimits } {
  return { config: configOf(p), limits: limitsOf(p) };
}

const nameOf = (filename: string) => path.basename(filename).replace(/\.[cm]?[jt]s$/, "");

/** The strategy part of a saved run. */
const savedStrategy = (p: { filename: string; source: string }, strategy: PreparedStrategy) => ({
  strategyName: nameOf(p.filename),
  strategySource: p.source,
  strategyHash: strategy.sourceHash,
  engineVersion: ENGINE_VERSION,
});

/** Builds the strategy part of the handler map. */
export function strategyHandlers(deps: StrategyDeps): PartialHandlers<Methods> {
  const repo = () => sqliteRunRepository(deps.store.app().db);
  return {
    "strategy.dts": () => ({ dts: STRATEGY_API_DTS }),
    "strategy.check": async (p, ctx) => ({ diagnostics: await strategyDiagnostics(p.source, p.filename, { signal: ctx.signal }) }),
    "strategy.backtest": async (p, ctx) => {
      const strategy = await prepared(deps.store.dataDir, p, ctx.signal);
      if ("symbol" in p.data) await deps.ensureSeries?.(p.data.venue, p.data.symbol, true);
      return withRunBars(p, deps.store, async (bars) => {
        const config = configOf(p);
        const limits = limitsOf(p);
        const startedAt = Date.now();
        ctx.progress({ done: 0, total: bars.count, message: `backtesting on ${bars.count} bars` });
        // Without a series the per-bar equity is only thinned for the saved run: the worker thins it.
        // Without a series or the orders in the answer (the CLI's run), the worker writes and gzips the saved result.
        const savedBody = p.save && p.series !== true && !p.orders;
        const r = await backtestTextOnFile(deps.pool, strategy, bars.ref, config, limits, { signal: ctx.signal, thinCurve: p.series !== true, savedBody });
        const time = p.series === true ? bars.time() : null;
        // The run is saved from the sandbox's JSON texts as they are; only the trades are parsed for the answer (and the orders when asked for).
        const runId = p.save
          ? repo().save({
              kind: "backtest",
              ...savedStrategy(p, strategy),
              params: r.params,
              data: bars.data,
              config: { ...config, limits },
              startedAt,
              finishedAt: Date.now(),
              error: null,
              result: savedResultText(r, r.equityCurve ?? thinEquityCurve(time!, r.equity)),
            })
          : null;
        return {
          bars: r.bars,
          trades: p.tradesText ? [] : (JSON.parse(r.tradesJson) as TradeRecord[]),
          ...(p.tradesText ? { tradesJson: r.tradesJson } : {}),
          finalEquity: r.finalEquity,
          cash: r.cash,
          metrics: r.metrics,
          orders: p.orders && r.ordersJson !== null ? (JSON.parse(r.ordersJson) as OrderRecord[]) : [],
          equity: p.series ? Array.from(r.equity) : [],
          time: time ? Array.from(time) : [],
          logs: r.logs,
          logsDropped: r.logsDropped,
          params: r.params,
          engineMs: r.engineMs,
          runId,
        };
      });
    },
    "strategy.sweep": async (p, ctx) => {
      const strategy = await prepared(deps.store.dataDir, p, ctx.signal);
      if ("symbol" in p.data) await deps.ensureSeries?.(p.data.venue, p.data.symbol, true);
      return withRunBars(p, deps.store, async (bars) => {
        const config = configOf(p);
        const limits = limitsOf(p);
        const startedAt = Date.now();
        const stats = new Map<number, RowStats>();
        const message = progressMessage("combinations");
        const opts = { grid: p.grid, holdout: p.holdout, signal: ctx.signal, onProgress: (done: number, total: number) => ctx.progress({ done, total, message: message(done, total) }), stats };
        const local = () => runSweepOnFile(deps.pool, strategy, bars.ref, bars.count, config, limits, { ...opts, concurrency: deps.workers });
        const rows = deps.compute
          ? await deps.compute.run("strategy.sweep", p, local, (queue) => runSweepViaQueue(queue, strategy, readBarsFile(bars.ref), config, limits, opts))
          : await local();
        const runId = p.save
          ? repo().save({
              kind: "sweep",
              ...savedStrategy(p, strategy),
              grid: p.grid,
              holdout: p.holdout,
              data: bars.data,
              config: { ...config, limits },
              startedAt,
              finishedAt: Date.now(),
              rows,
            })
          : null;
        return { rows, runId, ...sweepStatistics(deps.store.app().db, rows.length, stats, { strategyHash: strategy.sourceHash, data: bars.data, time: bars.time, holdout: p.holdout }) };
      });
    },
    "strategy.runs": (p) => repo().list(p.limit),
    "strategy.run": (p) => {
      const run = repo().get(p.id);
      if (!run) throw new ApiError("not_found", `no saved run #${p.id}`);
      return run;
    },
  };
}
