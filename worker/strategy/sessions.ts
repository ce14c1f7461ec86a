/**
 * Long-lived strategy sessions in this worker (paper and live trading): `session.start` opens a
 * sandbox for the strategy and starts its kernel, `session.step` runs one closed bar in it,
 * `session.stop` disposes it. Core pins a session to one worker; when this process dies its
 * sessions die with it and core starts them again (re-warmed) on another. A session whose strategy
 * throws is disposed and its error (line:column, phase, bar) goes back to core; each step's answer
 * leaves as soon as it is done. Two sets of handlers: {@link sessionWorkerMethods} on the worker's
 * main thread (over IPC; a step runs on isolated-vm's threads), and {@link sessionThreadMethods} on
 * the session thread (over the session channel; a step runs on that thread itself and answers with
 * the sandbox's JSON text as is).
 */
import { ApiError } from "../../common/api/errors.ts";
import type { WorkerSessionStart, WorkerSessionStep } from "../../common/worker/methods.ts";
import type { SessionStepResult } from "../../common/strategy/engine/session.ts";
import type { WorkerCallContext, WorkerMethod } from "../registry.ts";
import { StrategySandbox, usableLimits } from "./sandbox.ts";

/** Time one session step may take (the strategy's `onBar` and callbacks). */
export const SESSION_STEP_MS = 2000;

const sessions = new Map<string, StrategySandbox>();

function sessionOf(id: unknown): StrategySandbox {
  const s = typeof id === "string" ? sessions.get(id) : undefined;
  if (!s || !s.usable) throw new ApiError("not_found", `no running session ${String(id)} in this worker`);
  return s;
}

/** The memory limit of the session a request is for (0 when unknown). */
export function sessionLimitMb(params: unknown): number {
  const id = (params as { id?: unknown } | null)?.id;
  const s = typeof id === "string" ? sessions.get(id) : undefined;
  return s?.memoryMb ?? 0;
}

const start: WorkerMethod = async (params, ctx) => {
  const p = params as Partial<WorkerSessionStart> | null;
  if (!p || typeof p.id !== "string" || typeof p.code !== "string" || typeof p.config !== "object" || !p.config || !usableLimits(p.limits)) {
    throw new ApiError("bad_request", "session.start needs id, code, config and limits (memoryMb >= 8, timeoutMs a positive 32-bit integer)");
  }
  sessions.get(p.id)?.dispose();
  const sandbox = await StrategySandbox.open({ code: p.code, sourceMap: p.sourceMap ?? null, filename: p.filename ?? "strategy.ts", limits: p.limits, seed: p.seed ?? 1 }, ctx.signal);
  try {
    const started = await sandbox.startSession(p.config, p.seed ?? 1, ctx.signal);
    sessions.set(p.id, sandbox);
    return { ...started, workerPid: process.pid };
  } catch (err) {
    sandbox.dispose();
    throw err;
  }
};

/** A step's params, checked. */
function stepParams(params: unknown): WorkerSessionStep {
  const p = params as Partial<WorkerSessionStep> | null;
  if (!p || typeof p.id !== "string" || typeof p.json !== "string") throw new ApiError("bad_request", "session.step needs id and json");
  return { id: p.id, json: p.json };
}

/** Ends a session whose step failed; rethrows. */
function stepFailed(id: string, sandbox: StrategySandbox, err: unknown): never {
  sandbox.dispose();
  sessions.delete(id);
  throw err;
}

const step: WorkerMethod = async (params, ctx) => {
  const p = stepParams(params);
  const sandbox = sessionOf(p.id);
  try {
    return JSON.parse(await sandbox.stepSession(p.json, SESSION_STEP_MS, ctx.signal)) as SessionStepResult;
  } catch (err) {
    return stepFailed(p.id, sandbox, err);
  }
};

/** The session thread's step: on this thread, the answer's JSON text at once (a promise only when the strategy threw). */
const stepHere = (params: unknown, ctx: WorkerCallContext): string | Promise<string> => {
  const p = stepParams(params);
  const sandbox = sessionOf(p.id);
  let out: string | Promise<string>;
  try {
    out = sandbox.stepSessionSync(p.json, SESSION_STEP_MS, ctx.signal);
  } catch (err) {
    return stepFailed(p.id, sandbox, err);
  }
  return typeof out === "string" ? out : out.catch((err: unknown) => stepFailed(p.id, sandbox, err));
};

const stop: WorkerMethod = (params) => {
  const id = (params as { id?: unknown } | null)?.id;
  if (typeof id !== "string") throw new ApiError("bad_request", "session.stop needs a session id");
  const s = sessions.get(id);
  s?.dispose();
  sessions.delete(id);
  return { stopped: s !== undefined };
};

/** The session methods of the strategy host's main thread (answers as values). */
export const sessionWorkerMethods = { "session.start": start, "session.step": step, "session.stop": stop } satisfies Record<string, WorkerMethod>;

/** A session-thread handler: the answer as JSON text (now, or a promise of it). */
export type SessionThreadMethod = (params: unknown, ctx: WorkerCallContext) => string | Promise<string>;

/** The session methods of the session thread. */
export const sessionThreadMethods: Record<string, SessionThreadMethod> = {
  "session.start": async (params, ctx) => JSON.stringify(await start(params, ctx)),
  "session.step": stepHere,
  "session.stop": (params, ctx) => JSON.stringify(stop(params, ctx)),
};
