/**
 * Long-lived strategy sessions in this worker (paper and live trading): `session.start` opens a
 * sandbox for the strategy and starts its kernel, `session.step` runs one closed bar in it,
 * `session.stop` disposes it. Core pins a session to one worker; when this process dies its
 * sessions die with it and core starts them again (re-warmed) on another. A session whose strategy
 * throws is disposed and its error (line:column, phase, bar) goes back to core; each step's answer
 * leaves as soon as it is done.
 */
import { ApiError } from "../../common/api/index.ts";
import type { WorkerSessionStart, WorkerSessionStep } from "../../common/worker/methods.ts";
import type { SessionStepResult } from "../../common/strategy/engine/session.ts";
import type { WorkerMethod } from "../registry.ts";
import { StrategySandbox, usableLimits } from "./sandbox.ts";

/** Time one session step may take (the strategy's `onBar` and callbacks). */
export const SESSION_STEP_MS = 2000;

const sessions = new Map<string, StrategySandbox>();

function sessionOf(id: unknown): StrategySandbox {
  const s = typeof id === "string" ? sessions.get(id) : undefined;
  if (!s || !s.usable) throw new ApiError("not_found", `no running session ${String(id)} in this worker`);
  return s;
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

const step: WorkerMethod = async (params, ctx) => {
  const p = params as Partial<WorkerSessionStep> | null;
  if (!p || typeof p.json !== "string") throw new ApiError("bad_request", "session.step needs id and json");
  const sandbox = sessionOf(p.id);
  try {
    return JSON.parse(await sandbox.stepSession(p.json, SESSION_STEP_MS, ctx.signal)) as SessionStepResult;
  } catch (err) {
    sandbox.dispose();
    sessions.delete(p.id!);
    throw err;
  }
};

const stop: WorkerMethod = (params) => {
  const id = (params as { id?: unknown } | null)?.id;
  if (typeof id !== "string") throw new ApiError("bad_request", "session.stop needs a session id");
  const s = sessions.get(id);
  s?.dispose();
  sessions.delete(id);
  return { stopped: s !== undefined };
};

/** The session methods of the strategy host. */
export const sessionWorkerMethods = { "session.start": start, "session.step": step, "session.stop": stop } satisfies Record<string, WorkerMethod>;
