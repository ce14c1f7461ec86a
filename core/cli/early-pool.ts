/**
 * A strategy worker started as soon as the CLI process sees it is to run `backtest`, before the
 * command's modules load and before it knows whether a running core will take the run: the worker
 * process (~0.2 s to start: Node without its start-up snapshot, which isolated-vm needs) then
 * starts while the CLI loads, reads the strategy and looks for a core. A local run takes it
 * ({@link takeEarlyPool}); a run through a core, or any other ending, stops it
 * ({@link discardEarlyPool}). Only the CLI's entry point starts one (never `runCli` in tests), and
 * not when the data directory has a core's lock file ({@link earlyPoolWanted}): the run then most
 * likely goes to that core, and a worker starting here would only compete with it for the CPU.
 */
import fs from "node:fs";
import { lockPath } from "../platform/lock.ts";
import { resolveDataDir } from "../platform/paths.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";

/** The CLI's pool logs nothing (a failure reaches the command as its error). */
const QUIET = { debug: () => undefined, warn: () => undefined };

let early: WorkerPool | null = null;

/** The `--data-dir` value in a command's argv (`--data-dir DIR` or `--data-dir=DIR`), if any. */
function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--data-dir") return argv[i + 1];
    if (argv[i]!.startsWith("--data-dir=")) return argv[i]!.slice("--data-dir=".length);
  }
  return undefined;
}

/** Whether a `backtest` with this argv should start its worker early: not when a core's lock file is in its data directory. */
export function earlyPoolWanted(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return !fs.existsSync(lockPath(resolveDataDir({ flag: dataDirFlag(argv), env })));
}

/** Starts one worker now (its start failure surfaces in the first request, as for any pool). */
export function startEarlyPool(): void {
  if (early !== null) return;
  // The worker opens the backtest's sandbox while this process loads the command and the bars.
  early = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: QUIET, sessionChannel: false, spareSandbox: "first" });
  early.warmUp().catch(() => undefined);
}

/** The early pool when one was started and `size` is 1 (it is then the caller's to shut down), else null. */
export function takeEarlyPool(size: number): WorkerPool | null {
  if (early === null || size !== 1) return null;
  const pool = early;
  early = null;
  return pool;
}

/** Stops the early pool unless it was taken. */
export async function discardEarlyPool(): Promise<void> {
  const pool = early;
  early = null;
  await pool?.shutdown();
}
