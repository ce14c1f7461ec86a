/**
 * `workstation sweep STRATEGY.ts --grid JSON --data FILE|SYMBOL [--holdout 0.3] [...]`: runs every
 * combination of the grid across a pool of worker processes (one per core by default), with a
 * progress bar on stderr, and prints a table sorted by `--sort` (or the rows as JSON with
 * `--json`: `{"rows","trials","dsr","pbo","holdoutLooks"}`). Below the rows: the number of
 * combinations tried, the deflated Sharpe ratio of the best in-sample Sharpe, the probability of
 * backtest overfitting, and how often this strategy version's holdout has been looked at (each
 * look is recorded). A failing combination is a row with its error; Ctrl-C cancels. The sweep is
 * saved (after the output is printed). With a core running on the data directory the sweep is handed to
 * it (`run-via-core.ts`), with the same output.
 * With `--queue redis://…` the combinations run on `workstation worker`s through Redis instead
 * (see `core/compute/`), with the same output. With `--universe NAME|LIST` instead of `--data` the
 * sweep runs on each member of a universe, its output per member (`universe-runs.ts`).
 */
import os from "node:os";
import path from "node:path";
import { ApiError } from "../../common/api/errors.ts";
import type { RowStats } from "../../common/robustness/overfitting.ts";
import { overfittingLine } from "../../common/robustness/reading.ts";
import type { ParamGrid, SweepRow } from "../../common/strategy/sweep.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { RUN_HELP, RUN_OPTIONS, loadDataBars, numberOption, runInput, type RunInput } from "../strategy/cli-options.ts";
import { startLocalRun } from "../strategy/local-run.ts";
import { SWEEP_SORT_KEYS, formatSweepTable, sortRows, type SweepSortKey } from "../strategy/report.ts";
import type { RunDataSource, SweepRunRecord } from "../strategy/runs.ts";
import { dataFacts } from "../strategy/data.ts";
import { prepareStrategyCached } from "../strategy/strategy-cache.ts";
import { longestBar } from "../../common/market/timeframes.ts";
import { runSweepOnFile } from "../strategy/sweep-runner.ts";
import { recordHoldoutLookFromCli } from "../robustness/holdout-looks.ts";
import { holdoutLookOf, overfittingFigures, type SweepStatistics } from "../robustness/sweep-statistics.ts";
import { reportStrategyFailure } from "./backtest.ts";
import { UsageError, intOption, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";
import { coreForRun, runParams } from "./run-via-core.ts";
import { gridOption, progressBar } from "./run-pool.ts";
import { QUEUE_HELP, QUEUE_OPTIONS, openCoordinator, queueArgs, type QueueArgs } from "./queue-options.ts";
import { runSweepViaQueue } from "../compute/sweep-queue.ts";
import { saveRunFromCli } from "./save-run.ts";
import { UNIVERSE_HELP, UNIVERSE_OPTIONS, runOnUniverse } from "./universe-runs.ts";

interface SweepInput extends RunInput {
  grid: ParamGrid;
  holdout: number;
  workers: number;
  sort: SweepSortKey;
}

/**
 * Prints the sorted rows (table or `--json`) with the overfitting figures, and lines about repeated
 * holdout looks and failed combinations; resolves with the exit code: 1 when every combination
 * failed (the last stderr line then names the first one's error), else 0.
 */
function printSweep(rows: SweepRow[], summary: SweepStatistics, input: SweepInput, io: CliIo): number {
  const sorted = sortRows(rows, input.sort);
  const looks = summary.holdoutLooks;
  io.out(input.json ? JSON.stringify({ rows: sorted, ...summary }) : [formatSweepTable(sorted, input.holdout > 0), "", overfittingLine(summary, looks)].join("\n"));
  if (looks > 1) io.err(`warning: this strategy version's holdout has now been looked at ${looks} times; its out-of-sample figures are no longer an unseen test`);
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0 && failed.length === rows.length) {
    io.err(`every combination failed: ${failed[0]!.error}`);
    return 1;
  }
  if (failed.length > 0) io.err(`${failed.length} of ${rows.length} combinations failed (see the error column)`);
  return 0;
}

/** A finished sweep run here or through the queue: its rows, their in-sample stats and what is saved with it. */
interface SweepOutcome {
  rows: SweepRow[];
  stats: Map<number, RowStats>;
  strategyHash: string;
  data: RunDataSource;
  time: () => Float64Array;
  startedAt: number;
}

/**
 * Records the holdout look, prints the sweep with its overfitting figures, runs `afterPrint`, then
 * saves the run (unless --no-save); resolves with the exit code of {@link printSweep}.
 */
async function reportSweep(outcome: SweepOutcome, input: SweepInput, io: CliIo, afterPrint: () => void): Promise<number> {
  const { rows, stats, strategyHash, data } = outcome;
  const look = holdoutLookOf({ strategyHash, data, time: outcome.time, holdout: input.holdout });
  const holdoutLooks = look ? recordHoldoutLookFromCli(input.dataDir, look, io) : 0;
  const code = printSweep(rows, { ...overfittingFigures(rows.length, stats), holdoutLooks }, input, io);
  afterPrint();
  if (!input.save) return code;
  const record: SweepRunRecord = {
    kind: "sweep",
    strategyName: path.basename(input.file).replace(/\.[cm]?[jt]s$/, ""),
    strategySource: input.source,
    strategyHash,
    engineVersion: ENGINE_VERSION,
    grid: input.grid,
    holdout: input.holdout,
    data,
    config: { ...input.config, limits: input.limits },
    startedAt: outcome.startedAt,
    finishedAt: Date.now(),
    rows,
  };
  saveRunFromCli(input.dataDir, record, io);
  return code;
}

/** The sweep in this process; saved after its output is printed; resolves with the exit code. */
async function sweepLocally(input: SweepInput, signal: AbortSignal, io: CliIo): Promise<number> {
  const { pool, strategy, bars } = await startLocalRun(input, (line) => io.err(line));
  let stopping: Promise<void> | null = null;
  try {
    const startedAt = Date.now();
    const stats = new Map<number, RowStats>();
    const opts = { grid: input.grid, holdout: input.holdout, concurrency: input.workers, signal, onProgress: progressBar(io, "combinations"), stats };
    const rows = await bars.withFile((ref) => runSweepOnFile(pool, strategy, ref, bars.count, input.config, input.limits, opts));
    // The workers stop while the run is saved.
    const outcome = { rows, stats, strategyHash: strategy.sourceHash, data: bars.data, time: () => bars.time(), startedAt };
    return await reportSweep(outcome, input, io, () => (stopping = pool.shutdown()));
  } finally {
    await (stopping ?? pool.shutdown());
  }
}

/** The sweep on `workstation worker`s through the queue (no local workers); same output and record as {@link sweepLocally}. */
async function sweepViaQueue(input: SweepInput, queue: QueueArgs, signal: AbortSignal, io: CliIo): Promise<number> {
  const [bars, strategy] = await Promise.all([
    loadDataBars(input.data, input.dataDir),
    prepareStrategyCached(input.dataDir, input.source, path.basename(input.file), { typecheck: input.typecheck }, (line) => io.err(line)),
  ]);
  const coordinator = await openCoordinator(queue, io);
  if (coordinator === null) throw new Error("no queue to run the sweep on");
  try {
    const startedAt = Date.now();
    const stats = new Map<number, RowStats>();
    const opts = { grid: input.grid, holdout: input.holdout, signal, onProgress: progressBar(io, "combinations"), stats };
    const rows = await runSweepViaQueue(coordinator, strategy, bars, input.config, input.limits, opts);
    const tfMs = input.data.timeframe ? longestBar(input.data.timeframe) : undefined;
    const data: RunDataSource = { source: input.data.data, symbol: bars.symbol, timeframe: input.data.timeframe ?? null, facts: dataFacts(bars, tfMs) };
    return await reportSweep({ rows, stats, strategyHash: strategy.sourceHash, data, time: () => bars.time, startedAt }, input, io, () => undefined);
  } finally {
    await coordinator.close();
  }
}

/** The sweep through a running core (its own workers): the exit code, or null when no core can be used. */
async function sweepViaCore(input: SweepInput, signal: AbortSignal, io: CliIo): Promise<number | null> {
  const client = await coreForRun(input.dataDir, io);
  if (!client) return null;
  try {
    const progress = progressBar(io, "combinations");
    const params = { ...runParams(input), grid: input.grid, holdout: input.holdout };
    const { rows, trials, dsr, pbo, holdoutLooks } = await client.call("strategy.sweep", params, { signal, onProgress: (p) => progress(p.done, p.total ?? p.done) });
    return printSweep(rows, { trials, dsr, pbo, holdoutLooks }, input, io);
  } finally {
    client.close();
  }
}

function sweepInput(args: ParsedArgs): SweepInput {
  const base = runInput(args);
  const grid = gridOption(args.values.grid);
  const holdout = numberOption(args.values, "holdout", 0, 0, 0.9);
  const workers = intOption(args.values, "workers", os.availableParallelism(), 1, 64);
  const sort = (args.values.sort ?? "totalReturn") as SweepSortKey;
  if (!SWEEP_SORT_KEYS.includes(sort)) throw new UsageError(`--sort must be one of ${SWEEP_SORT_KEYS.join(", ")}`);
  return { ...base, grid, holdout, workers, sort };
}

/** One sweep on `--data`; resolves with the exit code. */
async function runSweep(args: ParsedArgs, io: CliIo): Promise<number> {
  const queue = queueArgs(args.values);
  const input = sweepInput(args);
  const ctrl = new AbortController();
  const onSigint = () => ctrl.abort();
  process.once("SIGINT", onSigint);
  try {
    if (queue) return await sweepViaQueue(input, queue, ctrl.signal, io);
    return (await sweepViaCore(input, ctrl.signal, io)) ?? (await sweepLocally(input, ctrl.signal, io));
  } catch (err) {
    if (err instanceof ApiError && err.code === "cancelled") {
      io.err("sweep cancelled");
      return 130;
    }
    if (reportStrategyFailure(err, io)) return 1;
    throw err instanceof ApiError ? new Error(err.message) : err;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** The sweep command. */
export const sweepCommand: CliCommand = {
  name: "sweep",
  usage: "STRATEGY.ts --grid JSON (--data FILE|SYMBOL | --universe NAME|LIST) [--holdout 0.3] [options]",
  help: [
    `--grid JSON         param name -> values, e.g. '{"fast":[5,10,20],"slow":[30,50]}' (required)`,
    "--holdout F         keep the last fraction F of the bars out of the search (0 to 0.9; default 0)",
    "--workers N         worker processes (default: one per core; a running core uses its own)",
    `--sort KEY          sort by ${SWEEP_SORT_KEYS.join(", ")} (default totalReturn)`,
    ...QUEUE_HELP,
    ...UNIVERSE_HELP,
    ...RUN_HELP,
  ],
  options: { ...RUN_OPTIONS, ...QUEUE_OPTIONS, ...UNIVERSE_OPTIONS, grid: { type: "string" }, holdout: { type: "string" }, workers: { type: "string" }, sort: { type: "string" } },
  allowPositionals: true,
  run: (args, io) => runOnUniverse(args, io, runSweep),
};
