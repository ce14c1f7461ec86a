/**
 * The methods a strategy host process serves. Each feature adds its handlers here; core calls
 * them through `WorkerPool.request(method, params)`.
 */
import { ApiError } from "../common/api/errors.ts";
import type { Progress } from "../common/api/protocol.ts";
import type { WorkerMethodName } from "../common/worker/methods.ts";
import { prepareStrategyHost, strategyWorkerMethods } from "./strategy/methods.ts";
import { sessionWorkerMethods } from "./strategy/sessions.ts";

/** Passed to every worker method. */
export interface WorkerCallContext {
  signal: AbortSignal;
  progress(progress: Progress): void;
  /**
   * Runs `fn` once the request's answer is written to core (background work that should not delay
   * the answer). Absent where a method is called without a channel (tests): then run it yourself.
   */
  afterReply?(fn: () => void): void;
}

/** One worker method. */
export type WorkerMethod = (params: unknown, ctx: WorkerCallContext) => unknown;

/** Method name → handler: exactly the methods of the typed map in common/worker/methods.ts. */
export const workerMethods: Record<string, WorkerMethod> = {
  echo: (params) => ({ value: (params as { value?: unknown } | null)?.value ?? null, workerPid: process.pid }),
  ...strategyWorkerMethods,
  ...sessionWorkerMethods,
} satisfies Record<WorkerMethodName, WorkerMethod>;

/** Work done once when the process starts, before it says ready (so the first request does not pay it). */
export function prepareWorker(): void {
  prepareStrategyHost();
}

/** The error body an answer carries: an {@link ApiError} as is, anything else as `internal`. */
export function errorBody(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError("internal", err instanceof Error ? err.message : String(err));
}
