/**
 * A whole sweep through the queue: the same grid expansion, holdout split and row shape as a local
 * sweep (`core/strategy/sweep-runner.ts`), so the rows and their statistics are the same; and a
 * strategy screen's member, as the screener runs it on the pool.
 */
import fs from "node:fs";
import type { BarColumns } from "../../common/market/bars.ts";
import { fileColumns, type BarsFileRef } from "../../common/strategy/bars-file.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import { expandGrid, type SweepRow } from "../../common/strategy/sweep.ts";
import { checkParamsSize, type PreparedStrategy } from "../strategy/runner.ts";
import { holdoutSplit, takeStats, type SweepOptions } from "../strategy/sweep-runner.ts";
import type { QueueCoordinator } from "./coordinator.ts";

/** The bars of a hand-off file as columns (read whole). */
export function readBarsFile(ref: BarsFileRef): BarColumns {
  const file = fs.readFileSync(ref.file);
  return fileColumns(new Float64Array(file.buffer, file.byteOffset, file.byteLength / 8), ref);
}

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

/** Backtests one screen member's bars (a hand-off file) through the queue as the single row of an empty-grid sweep. */
export async function runMemberViaQueue(
  coordinator: QueueCoordinator,
  strategy: PreparedStrategy,
  ref: BarsFileRef,
  barCount: number,
  config: BacktestConfig,
  limits: SandboxLimits,
  holdout: number,
  signal?: AbortSignal,
): Promise<SweepRow[]> {
  const bars = readBarsFile(ref);
  const combos = [{ index: 0, params: {} }];
  const rows = await coordinator.runCombos({ strategy, bars, config, limits, split: holdoutSplit(barCount, holdout), combos, ...(signal ? { signal } : {}) });
  return rows.map((row) => takeStats(row, undefined));
}
