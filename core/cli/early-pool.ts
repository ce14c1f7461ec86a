/**
 * A strategy worker started as soon as the CLI process sees it is to run `backtest`, before the
 * command's modules load and before it knows whether a running core will take the run: the worker
 * process (~0.2 s to start: Node without its start-up snapshot, which isolated-vm needs) then
 * starts while the CLI loads, reads the strategy and looks for a core. A local run takes it
 * ({@link takeEarlyPool}); a run through a core, or any other ending, stops it
 * ({@link discardEarlyPool}). Only the CLI's entry point starts one (never `runCli` in tests).
 */
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";

/** The CLI's pool logs nothing (a failure reaches the command as its error). */
const QUIET = { debug: () => undefined, warn: () => undefined };

let early: WorkerPool | null = null;

/** Starts one worker now (its start failure surfaces in the first request, as for any pool). */
export function startEarlyPool(): void {
  if (early !== null) return;
  early = new WorkerPool({ size: 1, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: QUIET, sessionChannel: false });
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
