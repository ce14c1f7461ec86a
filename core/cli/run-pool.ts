/**
 * What the pool-running commands (sweep, walkforward, montecarlo) share: parsing `--grid`, a
 * progress bar on stderr, and running work on a local worker pool with Ctrl-C cancelling it
 * (exit 130) and strategy failures reported as the backtest reports them (exit 1), or on a
 * running core of the same version (`withRunningCore`) with the same exit codes and lines.
 */
import { ApiError } from "../../common/api/errors.ts";
import type { ParamGrid } from "../../common/strategy/sweep.ts";
import { silentLogger } from "../log.ts";
import { WORKER_EXEC_ARGV, defaultWorkerEntry } from "../workers/entry.ts";
import { WorkerPool } from "../workers/pool.ts";
import { reportStrategyFailure } from "./backtest.ts";
import { UsageError, type CliIo } from "./command.ts";
import type { ApiClient } from "../../common/api/client.ts";
import { coreForRun } from "./run-via-core.ts";
import { etaTracker, formatEta } from "../../common/text/eta.ts";

/** `--grid JSON`: an object of non-empty arrays of numbers, booleans or strings. */
export function gridOption(raw: unknown): ParamGrid {
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

/**
 * A 20-step progress bar on stderr with an ETA (`common/text/eta.ts`), redrawn only when it moves.
 */
export function progressBar(io: CliIo, unit: string): (done: number, total: number) => void {
  let lastShown = -1;
  const eta = etaTracker();
  return (done, total) => {
    const left = eta(done, total);
    const step = Math.floor((done / total) * 20);
    if (step === lastShown && done !== total) return;
    lastShown = step;
    io.err(`[${"#".repeat(step).padEnd(20)}] ${done}/${total} ${unit}${left === null ? "" : `, ETA ${formatEta(left)}`}`);
  };
}

/**
 * Runs `work` on a pool of `workers` processes; Ctrl-C aborts its signal. Resolves with the
 * work's exit code, 130 when cancelled, or 1 after printing a strategy failure.
 */
export async function withWorkerPool(io: CliIo, what: string, workers: number, work: (pool: WorkerPool, signal: AbortSignal) => Promise<number>): Promise<number> {
  const pool = new WorkerPool({ size: workers, entry: defaultWorkerEntry(), execArgv: WORKER_EXEC_ARGV, log: silentLogger(), sessionChannel: false });
  const ctrl = new AbortController();
  const onSigint = () => ctrl.abort();
  process.once("SIGINT", onSigint);
  try {
    return await work(pool, ctrl.signal);
  } catch (err) {
    if (err instanceof ApiError && err.code === "cancelled") {
      io.err(`${what} cancelled`);
      return 130;
    }
    if (reportStrategyFailure(err, io)) return 1;
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
    await pool.shutdown();
  }
}

/**
 * Runs `work` on the running core's client when one of this version owns the data directory
 * (Ctrl-C cancels the call): resolves with its exit code, or null when no core can be used. A
 * cancel, a strategy failure and a bad request end as they do on a local pool (130, 1, and a
 * usage line with exit 2).
 */
export async function withRunningCore(io: CliIo, what: string, dataDir: string, work: (client: ApiClient, signal: AbortSignal) => Promise<number>): Promise<number | null> {
  const client = await coreForRun(dataDir, io);
  if (!client) return null;
  const ctrl = new AbortController();
  const onSigint = () => ctrl.abort();
  process.once("SIGINT", onSigint);
  try {
    return await work(client, ctrl.signal);
  } catch (err) {
    if (err instanceof ApiError && err.code === "cancelled") {
      io.err(`${what} cancelled`);
      return 130;
    }
    if (reportStrategyFailure(err, io)) return 1;
    if (err instanceof ApiError && err.code === "bad_request") throw new UsageError(err.message);
    throw err instanceof ApiError ? new Error(err.message) : err;
  } finally {
    process.off("SIGINT", onSigint);
    client.close();
  }
}

/** A progress callback of a core call drawing `progressBar(io, unit)`. */
export function coreProgress(io: CliIo, unit: string): { onProgress: (p: { done: number; total?: number }) => void } {
  const bar = progressBar(io, unit);
  return { onProgress: (p) => bar(p.done, p.total ?? p.done) };
}
