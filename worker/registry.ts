/**
 * The methods a strategy host process serves. Each feature adds its handlers here; core calls
 * them through `WorkerPool.request(method, params)`.
 */
import type { Progress } from "../common/api/index.ts";
import { prepareStrategyHost, strategyWorkerMethods } from "./strategy/methods.ts";

/** Passed to every worker method. */
export interface WorkerCallContext {
  signal: AbortSignal;
  progress(progress: Progress): void;
}

/** One worker method. */
export type WorkerMethod = (params: unknown, ctx: WorkerCallContext) => unknown;

/** Method name → handler. */
export const workerMethods: Record<string, WorkerMethod> = {
  echo: (params) => ({ value: (params as { value?: unknown } | null)?.value ?? null, workerPid: process.pid }),
  ...strategyWorkerMethods,
};

/** Work done once when the process starts, before it says ready (so the first request does not pay it). */
export function prepareWorker(): void {
  prepareStrategyHost();
}
