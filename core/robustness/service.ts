/**
 * Handlers of the `robustness.*` API entries: walk-forward, Monte Carlo and sensitivity on core's worker pool,
 * with progress and cancel through the call's signal. The bars come as a backtest's do (file or
 * store, through `run-bars.ts`) and are read into columns once for the windows.
 */
import fs from "node:fs";
import { ApiError } from "../../common/api/index.ts";
import { monteCarlo } from "../../common/robustness/montecarlo.ts";
import { fileColumns } from "../../common/strategy/bars-file.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import type { PartialHandlers } from "../api/handlers.ts";
import type { Store } from "../store/index.ts";
import { withRunBars, type RunBars } from "../strategy/run-bars.ts";
import { backtestOnPool } from "../strategy/runner.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { inputFromResult } from "./montecarlo-input.ts";
import { runWalkForward } from "./walkforward.ts";
import { runSensitivity } from "./sensitivity.ts";
import { prepared, runConfigOf } from "../services/strategy.ts";

/** What the robustness handlers use. */
export interface RobustnessDeps {
  pool: WorkerPool;
  store: Store;
  /** Worker processes a walk-forward's sweeps may use at once. */
  workers: number;
}

/** The bars of a hand-off as columns (read whole). */
function columnsOf(bars: RunBars): BarColumns {
  const buf = fs.readFileSync(bars.ref.file);
  return fileColumns(new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8), bars.ref);
}

const asBadRequest = (err: unknown): never => {
  if (err instanceof RangeError || err instanceof TypeError) throw new ApiError("bad_request", err.message);
  throw err;
};

/** Builds the robustness part of the handler map. */
export function robustnessHandlers(deps: RobustnessDeps): PartialHandlers<"robustness.walkforward" | "robustness.montecarlo" | "robustness.sensitivity"> {
  return {
    "robustness.walkforward": async (p, ctx) => {
      const strategy = await prepared(deps.store.dataDir, p, ctx.signal);
      return withRunBars(p, deps.store, async (bars) => {
        const { config, limits } = runConfigOf(p);
        const opts = { ...p, concurrency: deps.workers, signal: ctx.signal, onProgress: (done: number, total: number) => ctx.progress({ done, total, message: "walk-forward combinations" }) };
        return runWalkForward(deps.pool, strategy, columnsOf(bars), config, limits, opts).catch(asBadRequest);
      });
    },
    "robustness.montecarlo": async (p, ctx) => {
      const strategy = await prepared(deps.store.dataDir, p, ctx.signal);
      return withRunBars(p, deps.store, async (bars) => {
        const { config, limits } = runConfigOf(p);
        const columns = columnsOf(bars);
        const n = columns.time.length;
        const result = await backtestOnPool(deps.pool, strategy, columns, config, limits, { signal: ctx.signal });
        return monteCarlo(inputFromResult(result, config, columns.time[0]!, columns.time[n - 1]!), { method: p.method, runs: p.runs, seed: p.mcSeed });
      });
    },
    "robustness.sensitivity": async (p, ctx) => {
      const strategy = await prepared(deps.store.dataDir, p, ctx.signal);
      // All bars up to `to`: those before `from` feed the warm-up runs.
      const { from: fromTime, ...whole } = p;
      return withRunBars(whole, deps.store, async (bars) => {
        const opts = { ...runConfigOf(p), fromTime, costs: p.costs, warmup: p.warmup, signal: ctx.signal };
        return runSensitivity(deps.pool, strategy, columnsOf(bars), opts).catch(asBadRequest);
      });
    },
  };
}
