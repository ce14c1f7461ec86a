/**
 * Worker methods of the strategy runtime: `strategy.backtest` (one run, full records and metrics)
 * and `strategy.sweepBatch` (several parameter combinations on the same bars, one fresh isolate
 * each, summary rows only; a failing combination becomes a row with its error).
 */
import { ApiError } from "../../common/api/index.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import { computeMetrics } from "../../common/strategy/metrics.ts";
import type { BacktestResult } from "../../common/strategy/results.ts";
import { splitMetrics, type SweepRow } from "../../common/strategy/sweep.ts";
import type { WorkerCallContext, WorkerMethod } from "../registry.ts";
import { runInSandbox, type SandboxRequest } from "./sandbox.ts";

/** Params of `strategy.sweepBatch`. */
export interface SweepBatchParams extends SandboxRequest {
  combos: { index: number; params: StrategyParams }[];
  /** Index of the first out-of-sample bar (0 = no holdout). */
  split: number;
}

function checkRequest(params: unknown): SandboxRequest {
  const p = params as Partial<SandboxRequest> | null;
  if (!p || typeof p.code !== "string" || !p.bars || !(p.bars.time instanceof Float64Array) || !p.config || !p.limits) {
    throw new ApiError("bad_request", "strategy request needs code, bars (typed columns), config and limits");
  }
  return p as SandboxRequest;
}

async function backtest(params: unknown, ctx: WorkerCallContext): Promise<BacktestResult> {
  const req = checkRequest(params);
  const { result, engineMs } = await runInSandbox(req, ctx.signal);
  const metrics = computeMetrics({ startCash: req.config.cash, ...req.bars, equity: result.equity, exposure: result.exposure, trades: result.trades });
  return { ...result, metrics, engineMs };
}

async function sweepBatch(params: unknown, ctx: WorkerCallContext): Promise<SweepRow[]> {
  const req = checkRequest(params) as SweepBatchParams;
  const rows: SweepRow[] = [];
  for (const combo of req.combos) {
    if (ctx.signal.aborted) throw new ApiError("cancelled", "cancelled");
    const config = { ...req.config, params: { ...req.config.params, ...combo.params } };
    try {
      const { result } = await runInSandbox({ ...req, config }, ctx.signal);
      const { inSample, outOfSample } = splitMetrics(result, req.bars, req.config.cash, req.split);
      const finalEquity = req.split > 0 ? result.equity[req.split - 1]! : result.finalEquity;
      rows.push({ index: combo.index, params: combo.params, ok: true, finalEquity, metrics: inSample, outOfSample });
    } catch (err) {
      if (err instanceof ApiError && err.code === "cancelled") throw err;
      rows.push({ index: combo.index, params: combo.params, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
    ctx.progress({ done: rows.length, total: req.combos.length });
  }
  return rows;
}

/** The strategy runtime's worker methods. */
export const strategyWorkerMethods: Record<string, WorkerMethod> = {
  "strategy.backtest": backtest,
  "strategy.sweepBatch": sweepBatch,
};
