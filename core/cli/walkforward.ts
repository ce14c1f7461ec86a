/**
 * `workstation walkforward STRATEGY.ts --grid JSON --data FILE|SYMBOL --folds N [--in-sample-ratio R]
 * [--anchored] [--objective KEY] [--warmup-bars N] [run options] [--json]`: a rolling (or anchored)
 * walk-forward on a local worker pool. Prints a fold table and the stitched result, or with
 * `--json` `{"folds":[{"inSample","outOfSample","params","inSampleMetrics","efficiency"}],
 * "stitched":{"finalEquity","metrics"},"efficiency","stability"}` (times UTC ms, `to` exclusive).
 * Too few bars, an empty grid or an unknown objective: one line, exit 2. With a core running on the
 * data directory the walk-forward is handed to it (`robustness.walkforward`), with the same output.
 * With `--queue redis://…` each fold's in-sample sweep runs on `workstation worker`s instead (the
 * out-of-sample runs stay local). With `--universe NAME|LIST` instead of `--data` the walk-forward
 * runs on each member of a universe, its output per member (`universe-runs.ts`).
 */
import os from "node:os";
import path from "node:path";
import { WALK_FORWARD_OBJECTIVES, walkForwardWindows, type WalkForwardObjective } from "../../common/robustness/walkforward.ts";
import { RUN_HELP, RUN_OPTIONS, loadRunBars, numberOption, runInput } from "../strategy/cli-options.ts";
import { prepareStrategyCached } from "../strategy/strategy-cache.ts";
import { checkWalkForwardGrid, runWalkForward, type WalkForwardResult } from "../robustness/walkforward.ts";
import { UsageError, intOption, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";
import { coreProgress, gridOption, progressBar, withRunningCore, withWorkerPool } from "./run-pool.ts";
import { runParams } from "./run-via-core.ts";
import type { BarColumns } from "../../common/market/bars.ts";
import type { SweepOptions } from "../strategy/sweep-runner.ts";
import { QUEUE_HELP, QUEUE_OPTIONS, openCoordinator, queueArgs } from "./queue-options.ts";
import { runSweepViaQueue } from "../compute/sweep-queue.ts";
import { UNIVERSE_HELP, UNIVERSE_OPTIONS, runOnUniverse } from "./universe-runs.ts";

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? "n/a" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null | undefined): string => (x === null || x === undefined ? "n/a" : x.toFixed(2));
const day = (ms: number): string => new Date(ms).toISOString().replace("T", " ").replace(/:00\.000Z$|\.000Z$/, "");

/** The exact `--json` shape. */
export function walkForwardJson(r: WalkForwardResult): unknown {
  return {
    folds: r.folds.map((f) => ({
      inSample: f.inSample,
      outOfSample: f.outOfSample,
      params: f.params,
      inSampleMetrics: f.inSampleMetrics,
      efficiency: f.efficiency,
      ...(f.error !== undefined ? { error: f.error } : {}),
    })),
    stitched: { finalEquity: r.stitched.finalEquity, metrics: r.stitched.metrics },
    efficiency: r.efficiency,
    stability: r.stability,
  };
}

/** The fold table and the stitched summary as text. */
export function formatWalkForward(r: WalkForwardResult): string {
  const head = ["fold", "in-sample", "out-of-sample", "params", "IS return", "OOS return", "OOS sharpe", "efficiency"];
  const body = r.folds.map((f, i) => [
    String(i + 1),
    `${day(f.inSample.from)} .. ${day(f.inSample.to)}`,
    `${day(f.outOfSample.from)} .. ${day(f.outOfSample.to)}`,
    f.params ? JSON.stringify(f.params) : `(${f.error ?? "no result"})`,
    pct(f.inSampleMetrics?.totalReturn),
    pct(f.outOfSample.metrics?.totalReturn),
    num(f.outOfSample.metrics?.sharpe),
    num(f.efficiency),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const m = r.stitched.metrics;
  const stability = r.stability.ratio === null ? "n/a" : `${r.stability.changes} changes in ${r.stability.comparisons} (${pct(r.stability.ratio)} unchanged)`;
  return [
    line(head),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    `stitched out-of-sample: final equity ${num(r.stitched.finalEquity)}, return ${pct(m.totalReturn)}, CAGR ${pct(m.cagr)}, Sharpe ${num(m.sharpe)}, max drawdown ${pct(m.maxDrawdown)}`,
    `walk-forward efficiency ${num(r.efficiency)}; param stability: ${stability}`,
  ].join("\n");
}

function objectiveOption(raw: unknown): WalkForwardObjective {
  const key = raw ?? "totalReturn";
  if (typeof key !== "string" || !(WALK_FORWARD_OBJECTIVES as readonly string[]).includes(key)) {
    throw new UsageError(`--objective must be one of ${WALK_FORWARD_OBJECTIVES.join(", ")} (got "${String(key)}")`);
  }
  return key as WalkForwardObjective;
}

/** A RangeError/TypeError from the checks as a usage error (one line, exit 2). */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError || err instanceof TypeError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Prints the result (table or `--json`) and a line about folds without an out-of-sample result;
 * returns the exit code: 1 when no fold has one (the line then names the first fold's error), else 0.
 */
function printWalkForward(result: WalkForwardResult, json: boolean, io: CliIo): number {
  io.out(json ? JSON.stringify(walkForwardJson(result)) : formatWalkForward(result));
  const failed = result.folds.filter((f) => f.error !== undefined);
  if (failed.length > 0 && failed.length === result.folds.length) {
    io.err(`no fold has an out-of-sample result: ${failed[0]!.error}`);
    return 1;
  }
  if (failed.length > 0) io.err(`${failed.length} of ${result.folds.length} folds have no out-of-sample result (see their error)`);
  return 0;
}

/** The walkforward command. */
export const walkforwardCommand: CliCommand = {
  name: "walkforward",
  usage: "STRATEGY.ts --grid JSON (--data FILE|SYMBOL | --universe NAME|LIST) --folds N [--in-sample-ratio R] [--anchored] [--objective KEY] [--warmup-bars N] [options]",
  help: [
    `--grid JSON         param name -> values, e.g. '{"fast":[5,10,20],"slow":[30,50]}' (required)`,
    "--folds N           out-of-sample windows, one after another (required)",
    "--in-sample-ratio R in-sample length = R x out-of-sample length (default 3)",
    "--anchored          keep the in-sample start at the first bar (default: rolling)",
    `--objective KEY     choose each fold's params by ${WALK_FORWARD_OBJECTIVES.join(", ")} (default totalReturn)`,
    "--warmup-bars N     feed N earlier bars to each out-of-sample run with orders disabled (default 0)",
    "--workers N         worker processes (default: one per core; a running core uses its own)",
    ...QUEUE_HELP,
    ...UNIVERSE_HELP,
    ...RUN_HELP,
  ],
  options: {
    ...RUN_OPTIONS,
    grid: { type: "string" },
    folds: { type: "string" },
    "in-sample-ratio": { type: "string" },
    anchored: { type: "boolean" },
    objective: { type: "string" },
    "warmup-bars": { type: "string" },
    workers: { type: "string" },
    ...QUEUE_OPTIONS,
    ...UNIVERSE_OPTIONS,
  },
  allowPositionals: true,
  run: (args, io) => runOnUniverse(args, io, runWalkForwardCommand),
};

/** One walk-forward on `--data`; resolves with the exit code. */
async function runWalkForwardCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const queueSettings = queueArgs(args.values);
  const input = runInput(args);
  const grid = gridOption(args.values.grid);
  asUsage(() => checkWalkForwardGrid(grid));
  if (args.values.folds === undefined) throw new UsageError("--folds N is required");
  const folds = intOption(args.values, "folds", 0, 1, 1000);
  const inSampleRatio = numberOption(args.values, "in-sample-ratio", 3, 0.01, 1000);
  const objective = objectiveOption(args.values.objective);
  const warmupBars = intOption(args.values, "warmup-bars", 0, 0, 10_000_000);
  const workers = intOption(args.values, "workers", os.availableParallelism(), 1, 64);
  const anchored = args.values.anchored === true;
  const walk = { grid, folds, inSampleRatio, anchored, objective, warmupBars };
  const print = (result: WalkForwardResult): number => printWalkForward(result, input.json, io);
  if (queueSettings === null) {
    const viaCore = await withRunningCore(io, "walk-forward", args.dataDir, async (client, signal) => {
      const params = { ...runParams(input), ...walk, save: false };
      return print(await client.call("robustness.walkforward", params, { signal, ...coreProgress(io, "combinations (all folds)") }));
    });
    if (viaCore !== null) return viaCore;
  }
  const { bars } = await loadRunBars(args.values, args.dataDir);
  asUsage(() => walkForwardWindows(bars.time.length, { folds, inSampleRatio, anchored }));
  const coordinator = await openCoordinator(queueSettings, io);
  return withWorkerPool(io, "walk-forward", workers, async (pool, signal) => {
    const strategy = await prepareStrategyCached(args.dataDir, input.source, path.basename(input.file), { typecheck: input.typecheck }, (line) => io.err(line));
    const sweep = coordinator ? { sweep: (isBars: BarColumns, o: SweepOptions) => runSweepViaQueue(coordinator, strategy, isBars, input.config, input.limits, o) } : {};
    const opts = { ...walk, concurrency: workers, signal, onProgress: progressBar(io, "combinations (all folds)"), ...sweep };
    return print(await runWalkForward(pool, strategy, bars, input.config, input.limits, opts));
  }).finally(() => coordinator?.close());
}
