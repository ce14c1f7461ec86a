/**
 * Runs a parameter sweep across the worker pool. The grid is cut into chunks that shrink towards
 * the end (for balance, see `sweepChunks`), at most one chunk per worker is in flight, and each chunk runs its combinations
 * one fresh isolate at a time. A failing combination is a row with its error. When a worker dies
 * mid-chunk (crash, out of memory, killed) the pool replaces it and the chunk's combinations are
 * retried one by one, so the culprit is isolated and the sweep still completes. Cancelling the
 * signal stops every chunk.
 */
import { ApiError } from "../../common/api/errors.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import type { StrategyParams } from "../../common/strategy/api.ts";
import type { BacktestConfig, SandboxLimits } from "../../common/strategy/results.ts";
import { expandGrid, type ParamGrid, type SweepRow } from "../../common/strategy/sweep.ts";
import type { BarsFileRef } from "../../common/strategy/bars-file.ts";
import type { RowStats } from "../../common/robustness/overfitting.ts";
import type { WorkerPool } from "../workers/pool.ts";
import { withBarsFile } from "./bars-handoff.ts";
import { checkParamsSize, type PreparedStrategy } from "./runner.ts";

/** Options of {@link runSweep}. */
export interface SweepOptions {
  grid: ParamGrid;
  /** Fraction of the bars (at the end) kept out of the search, 0 to 0.9. */
  holdout: number;
  /** Worker processes to use at once. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Filled with each ok row's in-sample return stats (for the overfitting statistics), by row index. */
  stats?: Map<number, RowStats>;
}

/** One combination of a sweep: its index in the grid and its params. */
export type SweepCombo = { index: number; params: StrategyParams };

/** First out-of-sample bar index for a holdout fraction (0 = none). */
export function holdoutSplit(bars: number, holdout: number): number {
  if (holdout <= 0) return 0;
  return Math.max(1, Math.min(bars - 1, Math.floor(bars * (1 - holdout))));
}

/** Runs every combination of the grid; rows are in grid order. */
export function runSweep(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarColumns,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: SweepOptions,
): Promise<SweepRow[]> {
  return withBarsFile(bars, (ref) => runSweepOnFile(pool, strategy, ref, bars.time.length, config, limits, opts));
}

/** Runs every combination of the grid on bars already in a hand-off file (`barCount` of them); rows are in grid order. */
export async function runSweepOnFile(
  pool: WorkerPool,
  strategy: PreparedStrategy,
  bars: BarsFileRef,
  barCount: number,
  config: BacktestConfig,
  limits: SandboxLimits,
  opts: SweepOptions,
): Promise<SweepRow[]> {
  checkParamsSize(config.params);
  checkParamsSize(opts.grid, "sweep grid's params");
  const combos: SweepCombo[] = expandGrid(opts.grid).map((params, index) => ({ index, params }));
  const split = holdoutSplit(barCount, opts.holdout);
  const { code, sourceMap, filename } = strategy;
  const rows = await runCombosOnFile(pool, { code, sourceMap, filename, bars, config, limits, split }, combos, opts);
  return rows.map((row) => takeStats(row, opts.stats));
}

/** Most combinations in one batch (a batch's progress and cancellation are per combination anyway). */
const MAX_BATCH = 25;

/**
 * Cuts `combos` into the batches the lanes take in turn. With a fixed `batchSize`, equal batches;
 * otherwise guided self-scheduling: each batch is the combinations still left split over twice
 * the lanes (at most {@link MAX_BATCH}, at least 1), so batches shrink towards the end and the
 * lanes finish close together instead of one idling while the other runs a last full batch.
 */
export function sweepChunks<T>(combos: readonly T[], lanes: number, batchSize?: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < combos.length; ) {
    const size = batchSize ?? Math.max(1, Math.min(MAX_BATCH, Math.ceil((combos.length - i) / (2 * Math.max(1, lanes)))));
    chunks.push(combos.slice(i, i + size));
    i += size;
  }
  return chunks;
}

/** What every combination of a sweep shares: the compiled strategy, the bars, the run settings and the holdout split. */
export interface SweepBase {
  code: string;
  sourceMap: PreparedStrategy["sourceMap"];
  filename: string;
  bars: BarsFileRef;
  config: BacktestConfig;
  limits: SandboxLimits;
  split: number;
}

/**
 * Runs `combos` on the pool, `opts.concurrency` batches at a time (of `opts.batchSize`, or sizes
 * that balance the pool, see {@link sweepChunks}); rows (with their stats) are in index order. A batch whose worker died is retried one combination at a time.
 */
export async function runCombosOnFile(
  pool: WorkerPool,
  base: SweepBase,
  combos: SweepCombo[],
  opts: Pick<SweepOptions, "concurrency" | "signal" | "onProgress"> & { batchSize?: number },
): Promise<SweepRow[]> {
  const concurrency = Math.max(1, opts.concurrency);
  const chunks = sweepChunks(combos, concurrency, opts.batchSize);
  const progress = new Map<number, number>();
  const report = () => opts.onProgress?.([...progress.values()].reduce((a, b) => a + b, 0), combos.length);

  const runChunk = (chunk: SweepCombo[], key: number): Promise<SweepRow[]> =>
    pool.call("strategy.sweepBatch", { ...base, combos: chunk }, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => {
        progress.set(key, p.done);
        report();
      },
    });

  const crashed = (err: unknown) => err instanceof ApiError && err.code === "unavailable";
  const runOne = async (combo: SweepCombo, key: number): Promise<SweepRow> => {
    if (opts.signal?.aborted) throw new ApiError("cancelled", "cancelled");
    try {
      return (await runChunk([combo], key))[0]!;
    } catch (err) {
      if (!crashed(err)) throw err;
      progress.set(key, 1);
      report();
      return { index: combo.index, params: combo.params, ok: false, error: (err as Error).message };
    }
  };

  const rows: SweepRow[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < chunks.length) {
      if (opts.signal?.aborted) throw new ApiError("cancelled", "cancelled");
      const k = next++;
      const chunk = chunks[k]!;
      try {
        rows.push(...(await runChunk(chunk, k)));
      } catch (err) {
        if (!crashed(err)) throw err;
        progress.set(k, 0);
        for (const combo of chunk) rows.push(await runOne(combo, chunks.length + combo.index));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, lane));
  return rows.sort((a, b) => a.index - b.index);
}

/** The row without its stats (rows are shown and saved as before); the stats go into `into`. */
export function takeStats(row: SweepRow, into: Map<number, RowStats> | undefined): SweepRow {
  if (!row.ok || row.stats === undefined) return row;
  const { stats, ...rest } = row;
  into?.set(row.index, stats);
  return rest;
}
