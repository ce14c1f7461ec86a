/**
 * A backtest or sweep run in the CLI's own process (no core running): the worker process starts,
 * the strategy is prepared (through the type-check cache: no compiler on a hit) and the bars are
 * loaded (a data file through the bars cache: no CSV parsed on a hit) all at once, so the run
 * waits only for the slowest of the three.
 */
import fs from "node:fs";
import path from "node:path";
import { longestBar } from "../../common/market/timeframes.ts";
import { columnOffset, refRows, type BarsFileRef } from "../../common/strategy/bars-file.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { withBarsFile } from "./bars-handoff.ts";
import { checkRunBars, loadStoreBars, type RunDataOption } from "./cli-options.ts";
import { dataFacts } from "./data.ts";
import { fileBars } from "./file-bars-cache.ts";
import type { PreparedStrategy } from "./runner.ts";
import type { RunDataSource } from "./runs.ts";
import { prepareStrategyCached } from "./strategy-cache.ts";

/** The CLI's pool logs nothing (a failure reaches the command as its error); no logging library is loaded for it. */
const QUIET = { debug: () => undefined, warn: () => undefined };

/** The bars of a local run: run `work` with them in a hand-off file. */
export interface LocalBars {
  count: number;
  /** Source, symbol, timeframe and facts, as saved with the run. */
  data: RunDataSource;
  withFile<T>(work: (ref: BarsFileRef) => Promise<T>): Promise<T>;
  /** The bars' open times (read from the hand-off file on a cache hit). */
  time(): Float64Array;
}

/** The time column of the bars `ref` names in a hand-off file, read without the other columns. */
function readTimeColumn(ref: BarsFileRef): Float64Array {
  const fd = fs.openSync(ref.file, "r");
  try {
    const head = new Float64Array(1);
    fs.readSync(fd, head, 0, 8, 0);
    const { first, count } = refRows(ref, head[0]!);
    const time = new Float64Array(count);
    if (fs.readSync(fd, time, 0, count * 8, columnOffset(head[0]!, 0, first)) !== count * 8) throw new Error("bad bars hand-off file");
    return time;
  } finally {
    fs.closeSync(fd);
  }
}

/** Loads the bars `--data` names: a data file through the bars cache, a store symbol from the store. */
export async function loadLocalBars(opt: RunDataOption, dataDir: string, warn: (line: string) => void): Promise<LocalBars> {
  const tfMs = opt.timeframe ? longestBar(opt.timeframe) : undefined;
  const timeframe = opt.timeframe ?? null;
  if (opt.isFile) {
    const cached = await fileBars(dataDir, { file: opt.data, from: opt.from, to: opt.to, timeframe: opt.timeframe }, (bars) => checkRunBars(bars, opt), warn);
    return { count: cached.count, data: { source: opt.data, symbol: cached.symbol, timeframe, facts: cached.facts }, withFile: (work) => work(cached.ref), time: () => cached.columns?.time ?? readTimeColumn(cached.ref) };
  }
  const bars = await loadStoreBars(opt, dataDir);
  return { count: bars.time.length, data: { source: opt.data, symbol: bars.symbol, timeframe, facts: dataFacts(bars, tfMs) }, withFile: (work) => withBarsFile(bars, work), time: () => bars.time };
}

/** A local run's worker pool, prepared strategy and bars. */
export interface LocalRun {
  pool: WorkerPool;
  strategy: PreparedStrategy;
  bars: LocalBars;
}

/**
 * Starts `workers` worker processes (or takes `pool`, already starting), prepares the strategy and
 * loads the bars at the same time.
 * A data problem is reported before a strategy problem (as when they ran one after the other);
 * on failure the pool is shut down before the error is thrown.
 */
export async function startLocalRun(
  input: { source: string; file: string; typecheck: boolean; data: RunDataOption; dataDir: string; workers: number; pool?: WorkerPool | undefined },
  warn: (line: string) => void,
): Promise<LocalRun> {
  const pool = input.pool ?? new WorkerPool({ size: input.workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: QUIET, sessionChannel: false });
  // Started now, awaited by the first request; a start failure surfaces there.
  pool.warmUp().catch(() => undefined);
  const [bars, strategy] = await Promise.allSettled([
    loadLocalBars(input.data, input.dataDir, warn),
    prepareStrategyCached(input.dataDir, input.source, path.basename(input.file), { typecheck: input.typecheck }, warn),
  ]);
  if (bars.status === "rejected" || strategy.status === "rejected") {
    await pool.shutdown();
    throw bars.status === "rejected" ? bars.reason : (strategy as PromiseRejectedResult).reason;
  }
  return { pool, strategy: strategy.value, bars: bars.value };
}
