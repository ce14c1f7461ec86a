/**
 * `workstation sweep STRATEGY.ts --grid JSON --data FILE|SYMBOL [--holdout 0.3] [...]`: runs every
 * combination of the grid across a pool of worker processes (one per core by default), with a
 * progress bar on stderr, and prints a table sorted by `--sort` (or the rows as JSON with
 * `--json`: `{"rows","trials","dsr","pbo","holdoutLooks"}`). Below the rows: the number of
 * combinations tried, the deflated Sharpe ratio of the best in-sample Sharpe, the probability of
 * backtest overfitting, and how often this strategy version's holdout has been looked at (each
 * look is recorded). A failing combination is a row with its error; Ctrl-C cancels. The sweep is saved.
 * With `--queue redis://…` the combinations run on `workstation worker`s through Redis instead
 * (see `core/compute/`), with the same output.
 */
import os from "node:os";
import path from "node:path";
import { TIMEFRAMES } from "../../common/market/bars.ts";
import { ENGINE_VERSION } from "../../common/strategy/version.ts";
import { RUN_HELP, RUN_OPTIONS, configFromArgs, limitsFromArgs, loadRunBars, numberOption, readStrategyFile } from "../strategy/cli-options.ts";
import { dataFacts } from "../strategy/data.ts";
import { SWEEP_SORT_KEYS, formatSweepTable, sortRows, type SweepSortKey } from "../strategy/report.ts";
import { prepareStrategy } from "../strategy/runner.ts";
import type { SweepRunRecord } from "../strategy/runs.ts";
import { runSweep } from "../strategy/sweep-runner.ts";
import type { RowStats } from "../../common/robustness/overfitting.ts";
import { holdoutLookOf, overfittingFigures } from "../robustness/sweep-statistics.ts";
import { overfittingLine } from "../../common/robustness/reading.ts";
import { recordHoldoutLookFromCli } from "../robustness/holdout-looks.ts";
import { UsageError, intOption, type CliCommand } from "./command.ts";
import { gridOption, progressBar, withWorkerPool } from "./run-pool.ts";
import { QUEUE_HELP, QUEUE_OPTIONS, openCoordinator, queueArgs } from "./queue-options.ts";
import { runSweepViaQueue } from "../compute/sweep-queue.ts";
import { saveRunFromCli } from "./save-run.ts";

/** The sweep command. */
export const sweepCommand: CliCommand = {
  name: "sweep",
  usage: "STRATEGY.ts --grid JSON --data FILE|SYMBOL [--holdout 0.3] [options]",
  help: [
    `--grid JSON         param name -> values, e.g. '{"fast":[5,10,20],"slow":[30,50]}' (required)`,
    "--holdout F         keep the last fraction F of the bars out of the search (0 to 0.9; default 0)",
    "--workers N         worker processes (default: one per core)",
    `--sort KEY          sort by ${SWEEP_SORT_KEYS.join(", ")} (default totalReturn)`,
    ...QUEUE_HELP,
    ...RUN_HELP,
  ],
  options: { ...RUN_OPTIONS, ...QUEUE_OPTIONS, grid: { type: "string" }, holdout: { type: "string" }, workers: { type: "string" }, sort: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const queueSettings = queueArgs(args.values);
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
    const coordinator = await openCoordinator(queueSettings, io);
    return withWorkerPool(io, "sweep", workers, async (pool, signal) => {
      const strategy = await prepareStrategy(source, path.basename(file), { typecheck: args.values["skip-typecheck"] !== true });
      const stats = new Map<number, RowStats>();
      const sweepOpts = { grid, holdout, signal, onProgress: progressBar(io, "combinations"), stats };
      const rows = coordinator ? await runSweepViaQueue(coordinator, strategy, bars, config, limits, sweepOpts) : await runSweep(pool, strategy, bars, config, limits, { ...sweepOpts, concurrency: workers });
      const data = { source: dataSource, symbol: bars.symbol, timeframe: timeframe ?? null, facts: dataFacts(bars, timeframe ? TIMEFRAMES[timeframe] : undefined) };
      if (args.values["no-save"] !== true) {
        const record: SweepRunRecord = {
          kind: "sweep",
          strategyName: path.basename(file).replace(/\.[cm]?[jt]s$/, ""),
          strategySource: source,
          strategyHash: strategy.sourceHash,
          engineVersion: ENGINE_VERSION,
          grid,
          holdout,
          data,
          config: { ...config, limits },
          startedAt,
          finishedAt: Date.now(),
          rows,
        };
        saveRunFromCli(args.dataDir, record, io);
      }
      const look = holdoutLookOf({ strategyHash: strategy.sourceHash, data, time: () => bars.time, holdout });
      const looks = look ? recordHoldoutLookFromCli(args.dataDir, look, io) : 0;
      const summary = { ...overfittingFigures(rows.length, stats), holdoutLooks: looks };
      const sorted = sortRows(rows, sort);
      io.out(args.values.json === true ? JSON.stringify({ rows: sorted, ...summary }) : [formatSweepTable(sorted, holdout > 0), "", overfittingLine(summary, looks)].join("\n"));
      const failed = rows.filter((r) => !r.ok).length;
      if (failed > 0) io.err(`${failed} of ${rows.length} combinations failed (see the error column)`);
      if (looks > 1) io.err(`warning: this strategy version's holdout has now been looked at ${looks} times; its out-of-sample figures are no longer an unseen test`);
      return 0;
    }).finally(() => coordinator?.close());
  },
};
