/**
 * `workstation sweep STRATEGY.ts --grid JSON --data FILE|SYMBOL [--holdout 0.3] [...]`: runs every
 * combination of the grid across a pool of worker processes (one per core by default), with a
 * progress bar on stderr, and prints a table sorted by `--sort` (or the rows as JSON with
 * `--json`). A failing combination is a row with its error; Ctrl-C cancels. The sweep is saved.
 */
import os from "node:os";
import path from "node:path";
import { ApiError } from "../../common/api/index.ts";
import type { ParamGrid } from "../../common/strategy/sweep.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { silentLogger } from "../log.ts";
import { RUN_HELP, RUN_OPTIONS, configFromArgs, limitsFromArgs, loadRunBars, numberOption, readStrategyFile } from "../strategy/cli-options.ts";
import { dataFacts } from "../strategy/data.ts";
import { SWEEP_SORT_KEYS, formatSweepTable, sortRows, type SweepSortKey } from "../strategy/report.ts";
import { prepareStrategy } from "../strategy/runner.ts";
import type { SweepRunRecord } from "../strategy/runs.ts";
import { runSweep } from "../strategy/sweep-runner.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { reportStrategyFailure } from "./backtest.ts";
import { UsageError, intOption, type CliCommand, type CliIo } from "./command.ts";
import { saveRunFromCli } from "./save-run.ts";
import { longestBar } from "../../common/market/timeframes.ts";

function gridOption(raw: unknown): ParamGrid {
  if (typeof raw !== "string") throw new UsageError(`--grid JSON is required, e.g. '{"fast":[5,10,20],"slow":[30,50]}'`);
  let grid: unknown;
  try {
    grid = JSON.parse(raw);
  } catch {
    throw new UsageError("--grid must be a JSON object of arrays");
  }
  if (!grid || typeof grid !== "object" || Array.isArray(grid)) throw new UsageError("--grid must be a JSON object of arrays");
  for (const [k, v] of Object.entries(grid)) {
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => ["number", "boolean", "string"].includes(typeof x))) {
      throw new UsageError(`--grid: "${k}" must be a non-empty array of numbers, booleans or strings`);
    }
  }
  return grid as ParamGrid;
}

function progressBar(io: CliIo): (done: number, total: number) => void {
  let lastShown = -1;
  return (done, total) => {
    const step = Math.floor((done / total) * 20);
    if (step === lastShown && done !== total) return;
    lastShown = step;
    io.err(`[${"#".repeat(step).padEnd(20)}] ${done}/${total} combinations`);
  };
}

/** The sweep command. */
export const sweepCommand: CliCommand = {
  name: "sweep",
  usage: "STRATEGY.ts --grid JSON --data FILE|SYMBOL [--holdout 0.3] [options]",
  help: [
    `--grid JSON         param name -> values, e.g. '{"fast":[5,10,20],"slow":[30,50]}' (required)`,
    "--holdout F         keep the last fraction F of the bars out of the search (0 to 0.9; default 0)",
    "--workers N         worker processes (default: one per core)",
    `--sort KEY          sort by ${SWEEP_SORT_KEYS.join(", ")} (default totalReturn)`,
    ...RUN_HELP,
  ],
  options: { ...RUN_OPTIONS, grid: { type: "string" }, holdout: { type: "string" }, workers: { type: "string" }, sort: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const { file, source } = readStrategyFile(args.positionals);
    const grid = gridOption(args.values.grid);
    const holdout = numberOption(args.values, "holdout", 0, 0, 0.9);
    const workers = intOption(args.values, "workers", os.availableParallelism(), 1, 64);
    const sort = (args.values.sort ?? "totalReturn") as SweepSortKey;
    if (!SWEEP_SORT_KEYS.includes(sort)) throw new UsageError(`--sort must be one of ${SWEEP_SORT_KEYS.join(", ")}`);
    const config = configFromArgs(args.values);
    const limits = limitsFromArgs(args.values);
    const { bars, source: dataSource, timeframe } = await loadRunBars(args.values, args.dataDir);
    const startedAt = Date.now();
    const pool = new WorkerPool({ size: workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger() });
    const ctrl = new AbortController();
    const onSigint = () => ctrl.abort();
    process.once("SIGINT", onSigint);
    try {
      const strategy = await prepareStrategy(source, path.basename(file), { typecheck: args.values["skip-typecheck"] !== true });
      const rows = await runSweep(pool, strategy, bars, config, limits, { grid, holdout, concurrency: workers, signal: ctrl.signal, onProgress: progressBar(io) });
      if (args.values["no-save"] !== true) {
        const record: SweepRunRecord = {
          kind: "sweep",
          strategyName: path.basename(file).replace(/\.[cm]?[jt]s$/, ""),
          strategySource: source,
          strategyHash: strategy.sourceHash,
          engineVersion: ENGINE_VERSION,
          grid,
          holdout,
          data: { source: dataSource, symbol: bars.symbol, timeframe: timeframe ?? null, facts: dataFacts(bars, timeframe ? longestBar(timeframe) : undefined) },
          config: { ...config, limits },
          startedAt,
          finishedAt: Date.now(),
          rows,
        };
        saveRunFromCli(args.dataDir, record, io);
      }
      const sorted = sortRows(rows, sort);
      io.out(args.values.json === true ? JSON.stringify({ rows: sorted }) : formatSweepTable(sorted, holdout > 0));
      const failed = rows.filter((r) => !r.ok).length;
      if (failed > 0) io.err(`${failed} of ${rows.length} combinations failed (see the error column)`);
      return 0;
    } catch (err) {
      if (err instanceof ApiError && err.code === "cancelled") {
        io.err("sweep cancelled");
        return 130;
      }
      if (reportStrategyFailure(err, io)) return 1;
      throw err;
    } finally {
      process.off("SIGINT", onSigint);
      await pool.shutdown();
    }
  },
};
