/**
 * `workstation montecarlo RUN_ID|STRATEGY.ts [run options] --method shuffle|skip|bootstrap|costs
 * [--runs 1000] [--seed 1] [--json]`: a seeded Monte Carlo of a saved backtest run (by id) or of
 * a fresh backtest of a strategy file. Prints the 5th/50th/95th percentiles of final equity, max
 * drawdown and CAGR, or with `--json` exactly `{"method","runs","seed","finalEquity":{"p5","p50",
 * "p95"},"maxDrawdown":{...},"cagr":{...}}`. An unknown method or run id: one line, exit 2. A
 * strategy file's run is handed to a core running on the data directory (`robustness.montecarlo`),
 * with the same output; a saved run is read from the app database here either way.
 */
import fs from "node:fs";
import path from "node:path";
import { MONTE_CARLO_METHODS, monteCarlo, type MonteCarloInput, type MonteCarloMethod, type MonteCarloResult, type Percentiles } from "../../common/robustness/montecarlo.ts";
import { RUN_HELP, RUN_OPTIONS, loadRunBars, numberOption, runInput } from "../strategy/cli-options.ts";
import { backtestOnPool } from "../strategy/runner.ts";
import { prepareStrategyCached } from "../strategy/strategy-cache.ts";
import { openAppDb } from "../store/app-db.ts";
import { SavedRunError, inputFromResult, inputFromSavedRun } from "../robustness/montecarlo-input.ts";
import { UsageError, intOption, type CliCommand, type CliIo, type ParsedArgs } from "./command.ts";
import { withRunningCore, withWorkerPool } from "./run-pool.ts";
import { runParams } from "./run-via-core.ts";

/** The exact `--json` shape. */
export function monteCarloJson(r: MonteCarloResult): unknown {
  return { method: r.method, runs: r.runs, seed: r.seed, finalEquity: r.finalEquity, maxDrawdown: r.maxDrawdown, cagr: r.cagr };
}

/** The percentiles as a small table. */
export function formatMonteCarlo(r: MonteCarloResult): string {
  const money = (x: number | null) => (x === null ? "n/a" : x.toFixed(2));
  const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);
  const row = (name: string, p: Percentiles, f: (x: number | null) => string) => [name, f(p.p5), f(p.p50), f(p.p95)];
  const rows = [["", "p5", "p50", "p95"], row("final equity", r.finalEquity, money), row("max drawdown", r.maxDrawdown, pct), row("CAGR", r.cagr, pct)];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  return [`${r.method} Monte Carlo, ${r.runs} runs, seed ${r.seed}`, ...rows.map((x) => x.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd())].join("\n");
}

function methodOption(raw: unknown): MonteCarloMethod {
  if (raw === undefined) throw new UsageError(`--method is required: ${MONTE_CARLO_METHODS.join(", ")}`);
  if (typeof raw !== "string" || !(MONTE_CARLO_METHODS as readonly string[]).includes(raw)) {
    throw new UsageError(`--method must be one of ${MONTE_CARLO_METHODS.join(", ")} (got "${String(raw)}")`);
  }
  return raw as MonteCarloMethod;
}

function savedRunInput(dataDir: string, id: number): MonteCarloInput {
  const app = openAppDb(dataDir);
  try {
    return inputFromSavedRun(app.db, id);
  } catch (err) {
    if (err instanceof SavedRunError) throw new UsageError(err.message);
    throw err;
  } finally {
    app.close();
  }
}

async function freshRun(args: ParsedArgs, io: CliIo, opts: { method: MonteCarloMethod; runs: number; seed: number }, print: (result: MonteCarloResult) => number): Promise<number> {
  const input = runInput(args);
  const viaCore = await withRunningCore(io, "montecarlo", args.dataDir, async (client, signal) => {
    const params = { ...runParams(input), method: opts.method, runs: opts.runs, mcSeed: opts.seed, save: false };
    return print(await client.call("robustness.montecarlo", params, { signal }));
  });
  if (viaCore !== null) return viaCore;
  const { bars } = await loadRunBars(args.values, args.dataDir);
  const n = bars.time.length;
  return withWorkerPool(io, "montecarlo", 1, async (pool, signal) => {
    const strategy = await prepareStrategyCached(args.dataDir, input.source, path.basename(input.file), { typecheck: input.typecheck }, (line) => io.err(line));
    const result = await backtestOnPool(pool, strategy, bars, input.config, input.limits, { signal });
    return print(monteCarlo(inputFromResult(result, input.config, bars.time[0]!, bars.time[n - 1]!), opts));
  });
}

/** The montecarlo command. */
export const montecarloCommand: CliCommand = {
  name: "montecarlo",
  usage: "RUN_ID|STRATEGY.ts --method shuffle|skip|bootstrap|costs [--runs 1000] [--seed 1] [run options]",
  help: [
    "RUN_ID              a saved backtest run's id (its trades; bootstrap resamples per-trade returns)",
    "STRATEGY.ts         or a strategy file, backtested first with the run options (bootstrap resamples per-bar returns)",
    `--method M          ${MONTE_CARLO_METHODS.join(", ")} (required)`,
    "--runs N            simulated runs (default 1000)",
    "--seed N            seed of the simulation (and of the backtest's Math.random; default 1)",
    ...RUN_HELP,
  ],
  options: { ...RUN_OPTIONS, method: { type: "string" }, runs: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const method = methodOption(args.values.method);
    const runs = intOption(args.values, "runs", 1000, 1, 100_000);
    const seed = numberOption(args.values, "seed", 1, 0, 2 ** 32 - 1);
    const print = (result: MonteCarloResult): number => {
      io.out(args.values.json === true ? JSON.stringify(monteCarloJson(result)) : formatMonteCarlo(result));
      return 0;
    };
    const target = args.positionals[0];
    if (args.positionals.length === 1 && /^\d+$/.test(target!) && !fs.existsSync(target!)) return print(monteCarlo(savedRunInput(args.dataDir, Number(target)), { method, runs, seed }));
    return freshRun(args, io, { method, runs, seed }, print);
  },
};
