/**
 * A whole sweep through the queue: the same grid expansion, holdout split and row shape as a local
 * sweep (`core/strategy/sweep-runner.ts`), so the rows and their statistics are the same.
 */
import type { BarColumns } from "../../common/market/bars.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import { expandGrid, type SweepRow } from "../../common/strategy/sweep.ts";
import { checkParamsSize, type PreparedStrategy } from "../strategy/runner.ts";
import { holdoutSplit, takeStats, type SweepOptions } from "../strategy/sweep-runner.ts";
import type { QueueCoordinator } from "./coordinator.ts";

/** Runs every combination of the grid on the queue's workers; rows are in grid order (stats go into `opts.stats`). */
export async function runSweepViaQueue(
  coordinator: QueueCoordinator,
  strategy: PreparedStrategy,
  bars: BarColumns,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: Omit<SweepOptions, "concurrency">,
): Promise<SweepRow[]> {
  checkParamsSize(config.params);
  checkParamsSize(opts.grid, "sweep grid's params");
  const combos = expandGrid(opts.grid).map((params, index) => ({ index, params }));
  const split = holdoutSplit(bars.time.length, opts.holdout);
  const rows = await coordinator.runCombos({
    strategy,
    bars,
    config,
    limits,
    split,
    combos,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return rows.map((row) => takeStats(row, opts.stats));
}
