/**
 * Handlers of the `robustness.*` API entries: walk-forward, Monte Carlo and sensitivity on core's worker pool,
 * with progress and cancel through the call's signal. The bars come as a backtest's do (file or
 * store, through `run-bars.ts`) and are read into columns once for the windows. With Compute set to a
 * queue, a walk-forward's in-sample sweeps run on `workstation worker`s (`core/compute/`).
 */
import { ApiError } from "../../common/api/index.ts";
import { monteCarlo } from "../../common/robustness/montecarlo.ts";
import { progressMessage } from "../../common/text/eta.ts";
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
import type { ComputeService } from "../compute/service.ts";
import { readBarsFile, runSweepViaQueue } from "../compute/sweep-queue.ts";
import type { SweepOptions } from "../strategy/sweep-runner.ts";

/** What the robustness handlers use. */
export interface RobustnessDeps {
  pool: WorkerPool;
  store: Store;
  /** Worker processes a walk-forward's sweeps may use at once. */
  workers: number;
  /** Where the walk-forwards' sweeps run when Compute is set to a queue. */
  compute?: ComputeService;
}

/** The bars of a hand-off as columns (read whole). */
const columnsOf = (bars: RunBars): BarColumns => readBarsFile(bars.ref);

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
        const message = progressMessage("walk-forward combinations");
        const opts = { ...p, concurrency: deps.workers, signal: ctx.signal, onProgress: (done: number, total: number) => ctx.progress({ done, total, message: message(done, total) }) };
        const columns = columnsOf(bars);
        const local = () => runWalkForward(deps.pool, strategy, columns, config, limits, opts).catch(asBadRequest);
        if (!deps.compute) return local();
        return deps.compute.run("robustness.walkforward", p, local, (queue) => {
          const sweep = (isBars: BarColumns, o: SweepOptions) => runSweepViaQueue(queue, strategy, isBars, config, limits, o);
          return runWalkForward(deps.pool, strategy, columns, config, limits, { ...opts, sweep }).catch(asBadRequest);
        });
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
