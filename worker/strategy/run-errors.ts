/**
 * The errors a sandboxed run ends with, as {@link StrategyRunError}s: limits (time, memory, a
 * stopped sandbox), failures of the isolate seen from the host, and what the strategy threw (its
 * name, message and mapped stack, the phase and bar, and the log lines written before it).
 */
import { ApiError } from "../../common/api/errors.ts";
import type { FailureWhere, ThrownText } from "../../common/strategy/engine/sandbox-entry.ts";
import type { StrategyErrorInfo } from "../../common/strategy/errors.ts";
import { formatStrategyError } from "../../common/strategy/errors.ts";
import type { SandboxLimits } from "../../common/strategy/results.ts";
import type { StrategyMapper } from "./source-map.ts";

/** A strategy failed: compile, runtime or limit. `details` is a {@link StrategyErrorInfo}. */
export class StrategyRunError extends ApiError {
  readonly info: StrategyErrorInfo;
  constructor(info: StrategyErrorInfo) {
    super(info.kind === "limit" && info.name === "TimeLimit" ? "timeout" : "bad_request", formatStrategyError(info), info);
    this.info = info;
  }
}

/** A sandbox limit was reached (`name`: TimeLimit, MemoryLimit, Disposed, Crashed). */
export function limitError(name: string, message: string): StrategyRunError {
  return new StrategyRunError({ kind: "limit", name, message, stack: "", location: null, phase: null, barIndex: null, barTime: null });
}

/** The run used more memory than `limits` allow. */
export function memoryLimitError(limits: Pick<SandboxLimits, "memoryMb">): StrategyRunError {
  return limitError("MemoryLimit", `the strategy used more than its memory limit of ${limits.memoryMb} MB`);
}

/** The worker's memory ceiling was passed while several runs were active (which one grew is unknown). */
export function sharedMemoryBreachError(): ApiError {
  return new ApiError("unavailable", "the strategy worker ran out of memory running several strategies; the run was stopped");
}

/** An error of the isolate itself (limit, disposal, an error thrown outside the engine's catch). */
export function hostError(err: unknown, limits: SandboxLimits, signal: AbortSignal, mapper: StrategyMapper): Error {
  if (signal.aborted) return new ApiError("cancelled", "cancelled");
  const message = err instanceof Error ? err.message : String(err);
  if (/timed out/i.test(message)) return limitError("TimeLimit", `the strategy ran longer than its time limit of ${limits.timeoutMs} ms`);
  if (/memory limit/i.test(message)) return memoryLimitError(limits);
  if (/disposed/i.test(message)) return limitError("Disposed", `the sandbox was stopped: ${message}`);
  const mapped = err instanceof Error && typeof err.stack === "string" ? mapper.mapStack(err.stack) : { stack: "", location: null };
  return new StrategyRunError({
    kind: "runtime",
    name: err instanceof Error ? err.name : "NonErrorThrown",
    message: err instanceof Error ? message : `the strategy threw a non-Error value: ${message.slice(0, 200)}`,
    stack: mapped.stack,
    location: mapped.location,
    phase: "load",
    barIndex: null,
    barTime: null,
  });
}

/** What is reported when reading the thrown value failed (a getter or Proxy trap looped or threw). */
export const UNREADABLE_THROWN: ThrownText = { name: "UnreadableThrown", message: "the strategy threw an object that could not be read", stack: "" };

/** The error of a run that threw `text` at `where`. */
export function thrownError(where: FailureWhere, text: ThrownText, mapper: StrategyMapper): StrategyRunError {
  const mapped = mapper.mapStack(text.stack);
  return new StrategyRunError({
    kind: "runtime",
    name: text.name,
    message: text.message,
    stack: mapped.stack,
    location: mapped.location,
    phase: where.phase,
    barIndex: where.barIndex,
    barTime: where.barTime,
    logs: where.logs,
    logsDropped: where.logsDropped,
  });
}
