/**
 * Worker methods of the strategy runtime: `bars.load` (the bars hand-off alone, for diagnostics),
 * `strategy.backtest` (one run, full records and metrics)
 * and `strategy.sweepBatch` (several parameter combinations on the same bars, in one isolate with
 * a fresh strategy module each, summary rows only; a failing combination becomes a row with its error).
 */
import { ApiError } from "../../common/api/errors.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import { rowStats } from "../../common/robustness/overfitting.ts";
import { computeMetrics } from "../../common/strategy/metrics.ts";
import type { EngineResult } from "../../common/strategy/results.ts";
import { thinEquityCurve } from "../../common/strategy/equity-curve.ts";
import { SAVED_ORDERS_KEY, savedResultHead, savedResultTail } from "../../common/strategy/saved-result.ts";
import type { WorkerBacktest, WorkerBacktestResult } from "../../common/worker/methods.ts";
import { splitMetrics, type SweepRow } from "../../common/strategy/sweep.ts";
import type { WorkerCallContext, WorkerMethod } from "../registry.ts";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import { decodeBars } from "../../common/strategy/bars-file.ts";
import { readBarsFile, releaseShared, reserveShared, sharedFromColumns } from "./bars-file.ts";
import { usableLimits, type SandboxRequest, type StrategySandbox } from "./sandbox.ts";
import { returnSandbox, takeSandbox } from "./sandbox-cache.ts";
import { engineScript } from "./engine-script.ts";
import { startSavedBody } from "./saved-body.ts";
import { beginJob, endJob, holdSpare, prepareFirstSandbox, prepareSpare, runInSandbox, spareSettled } from "./spare-sandbox.ts";
import { workerRetiring } from "../retire.ts";

/** The sweep-specific params of `strategy.sweepBatch` (beside the backtest request's). */
export interface SweepBatchExtra {
  combos: { index: number; params: StrategyParams }[];
  /** Index of the first out-of-sample bar (0 = no holdout). */
  split: number;
}

/** A request as it arrives: the bars as columns or as a hand-off file reference. */
type WireRequest = Omit<SandboxRequest, "packed" | "symbol"> & { bars: BarColumns | BarsFileRef };

/** The sandbox request plus the bars as columns (views on the shared buffer). */
function checkRequest(params: unknown): SandboxRequest & { bars: BarColumns } {
  const p = params as Partial<WireRequest> | null;
  if (!p || typeof p.code !== "string" || typeof p.bars !== "object" || !p.bars || typeof p.config !== "object" || !p.config || !usableLimits(p.limits)) {
    throw new ApiError("bad_request", "strategy request needs code, bars, config and limits (memoryMb >= 8, timeoutMs a positive 32-bit integer)");
  }
  let packed: Float64Array;
  if ("file" in p.bars && typeof p.bars.file === "string") packed = readBarsFile(p.bars);
  else if ("time" in p.bars && p.bars.time instanceof Float64Array) packed = sharedFromColumns(p.bars);
  else throw new ApiError("bad_request", "bars must be typed columns or a hand-off file");
  const symbol = String(p.bars.symbol);
  const { bars: _wire, ...rest } = p as WireRequest;
  return { ...rest, packed, symbol, bars: decodeBars(packed, symbol) };
}

async function backtest(params: unknown, ctx: WorkerCallContext): Promise<WorkerBacktestResult> {
  const req = checkRequest(params);
  let out: ArrayBufferLike | null = null;
  // No new spare sandbox until this answer is written (see holdSpare).
  const releaseSpare = holdSpare();
  try {
    const { result, engineMs, recordsJson } = await runInSandbox(req, ctx.signal);
    out = result.equity.buffer;
    const { thinCurve, savedBody } = params as WorkerBacktest;
    // Compressed on the thread pool while the metrics are computed here.
    const pending = thinCurve === true && savedBody === true ? startSavedBody([recordsJson.trades, SAVED_ORDERS_KEY, recordsJson.orders]) : null;
    const metrics = computeMetrics({ startCash: req.config.cash, ...req.bars, equity: result.equity, exposure: result.exposure, trades: result.trades });
    if (thinCurve === true) {
      // The per-bar arrays (9 bytes a bar) stay here: the caller keeps only the thinned curve.
      const equityCurve = thinEquityCurve(req.bars.time, result.equity);
      const empty = { equity: new Float64Array(0), exposure: new Uint8Array(0), metrics, engineMs, equityCurve };
      if (pending === null) return { records: recordsJson, ...empty };
      const saved = await pending.finish(savedResultHead({ ...result, metrics }), savedResultTail(equityCurve));
      return { records: { ...recordsJson, orders: null }, saved, ...empty };
    }
    return { records: recordsJson, equity: result.equity, exposure: result.exposure, metrics, engineMs };
  } finally {
    // The host copies the result into its reply synchronously right after this returns (before any
    // other request's code can run), so the equity buffer may be reused from then on.
    releaseShared(req.packed.buffer);
    if (out !== null) releaseShared(out);
    if (ctx.afterReply) ctx.afterReply(releaseSpare);
    else releaseSpare();
  }
}

async function sweepBatch(params: unknown, ctx: WorkerCallContext): Promise<SweepRow[]> {
  const req = { ...(params as SweepBatchExtra), ...checkRequest(params) };
  beginJob(null)?.dispose();
  try {
    return await sweepCombos(req, ctx);
  } finally {
    releaseShared(req.packed.buffer);
    endJob();
  }
}

/** One sweep row from a finished run. */
function sweepRow(combo: SweepBatchExtra["combos"][number], result: Omit<EngineResult, "orders">, req: SweepBatchExtra & { bars: BarColumns; config: SandboxRequest["config"] }): SweepRow {
  const { inSample, outOfSample } = splitMetrics(result, req.bars, req.config.cash, req.split);
  const finalEquity = req.split > 0 ? result.equity[req.split - 1]! : result.finalEquity;
  const stats = rowStats(req.config.cash, result.equity, req.split > 0 ? req.split : result.equity.length);
  return { index: combo.index, params: combo.params, ok: true, finalEquity, metrics: inSample, outOfSample, stats };
}

/**
 * Runs the batch's combinations one by one in one sandbox (its compiled engine stays warm, and it
 * is kept for the sweep's next batch; every run loads a fresh strategy module); every run writes its equity into the same buffer. A run that
 * breaks the isolate (limit, crash) costs only its own row: the next one gets a new sandbox. Once
 * the worker retires the rest of the batch is refused as `unavailable` (core retries them elsewhere).
 */
async function sweepCombos(req: SweepBatchExtra & SandboxRequest & { bars: BarColumns }, ctx: WorkerCallContext): Promise<SweepRow[]> {
  const out = new SharedArrayBuffer(req.bars.time.length * 9);
  const rows: SweepRow[] = [];
  const setup = { ...req, seed: req.config.seed ?? 1 };
  let sandbox: StrategySandbox | null = null;
  try {
    for (const combo of req.combos) {
      if (ctx.signal.aborted) throw new ApiError("cancelled", "cancelled");
      if (workerRetiring()) throw new ApiError("unavailable", "the strategy worker is retiring (a sandbox ran out of memory); the batch's combinations are retried one by one");
      const config = { ...req.config, params: { ...req.config.params, ...combo.params } };
      try {
        if (sandbox === null || !sandbox.usable) sandbox = await takeSandbox(setup, ctx.signal);
        const { result } = await sandbox.run({ ...req, config, out, summary: true }, ctx.signal);
        rows.push(sweepRow(combo, result, req));
      } catch (err) {
        if (err instanceof ApiError && err.code === "cancelled") throw err;
        rows.push({ index: combo.index, params: combo.params, ok: false, error: err instanceof Error ? err.message : String(err) });
      }
      ctx.progress({ done: rows.length, total: req.combos.length });
    }
  } catch (err) {
    sandbox?.dispose();
    throw err;
  }
  if (sandbox !== null) returnSandbox(setup, sandbox);
  return rows;
}

/**
 * Bundles the engine script now (a few hundred ms) instead of on the first run, and starts making
 * the worker's spare sandbox, or its first sandbox (see `spare-sandbox.ts`); a failure is left for
 * the first run to report.
 */
export function prepareStrategyHost(): void {
  try {
    engineScript();
  } catch {
    return; // reported by the first run that needs the engine
  }
  prepareSpare();
  prepareFirstSandbox();
}

/** The strategy runtime's worker methods. */
export const strategyWorkerMethods = {
  /** Loads a bars hand-off into shared memory exactly as a run does, and describes it (diagnostics, benchmarks). */
  "bars.load": (params) => {
    const ref = params as Partial<BarsFileRef> | null;
    if (!ref || typeof ref.file !== "string") throw new ApiError("bad_request", "bars.load needs a hand-off file");
    const packed = readBarsFile({ file: ref.file, symbol: String(ref.symbol), ...(ref.rows ? { rows: ref.rows } : {}) });
    try {
      const bars = decodeBars(packed, String(ref.symbol));
      const n = bars.time.length;
      return { bars: n, first: n > 0 ? bars.time[0] : null, last: n > 0 ? bars.time[n - 1] : null };
    } finally {
      releaseShared(packed.buffer);
    }
  },
  /** Readies the buffers of a run over `bars` bars while idle (core asks after caching a series; see `reserveShared`). */
  "bars.reserve": (params) => {
    const bars = (params as { bars?: unknown } | null)?.bars;
    if (typeof bars !== "number" || !Number.isSafeInteger(bars) || bars < 0 || bars > 20_000_000) throw new ApiError("bad_request", "bars.reserve needs a bar count (0–20,000,000)");
    return { bytes: reserveShared(bars).reduce((sum, b) => sum + b.byteLength, 0) };
  },
  /** Resolves once the spare sandbox is ready, as after a user's idle time between runs (benchmarks). */
  "strategy.spareReady": async () => ({ ready: await spareSettled() }),
  "strategy.backtest": backtest,
  "strategy.sweepBatch": sweepBatch,
} satisfies Record<string, WorkerMethod>;
