/**
 * Runs strategy compiles (esbuild) and type-checks (TypeScript) in helper processes, one request
 * per process at a time, each under a heap limit (`--max-old-space-size`) and a deadline (counted
 * from when the helper has loaded, so a slow start on a busy machine is not charged). A request
 * that passes its deadline has its process killed and fails with "type check exceeded 20 s"; one
 * that exhausts the heap fails with a message naming the limit; either way only that request fails
 * and the next gets a fresh process. Other requests run on other processes meanwhile (up to
 * {@link MAX_HELPERS}), so a compiler bomb never blocks a harmless check. Helpers' stderr (V8's
 * out-of-memory report, a Go stack from a dying esbuild service) is read here, never printed.
 * One idle helper stays warm (its parsed TypeScript library is reused); the others exit. Idle
 * helpers are unref'd, so they never keep a process alive. (A worker thread's `resourceLimits` is
 * not used: on heap exhaustion it aborted the whole process in most trials here.)
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { ApiError } from "../../common/api/errors.ts";

/** Limits of one helper request. */
export interface ToolchainLimits {
  /** Wall time from dispatch to reply. */
  deadlineMs: number;
  /** V8 old-space limit of the helper process. */
  heapMb: number;
}

/** 20 s and a 512 MB heap. */
export const DEFAULT_TOOLCHAIN_LIMITS: ToolchainLimits = { deadlineMs: 20_000, heapMb: 512 };

/** Helper processes running at once; more requests wait for one to finish. */
export const MAX_HELPERS = 4;

/** What a helper is asked to do. */
export type ToolchainKind = "compile" | "typecheck";

/** A request to a helper process. */
export interface ToolchainRequest {
  id: number;
  kind: ToolchainKind;
  source: string;
  filename: string;
}

/** A helper's message: ready (sent once, after loading), or its answer to a request. */
export type ToolchainReply = { ready: true } | { id: number; result: unknown } | { id: number; error: string };

/** A request hit its deadline or heap limit (the message is the one line to show). */
export class ToolchainLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolchainLimitError";
  }
}

interface Job {
  request: ToolchainRequest;
  limits: ToolchainLimits;
  label: string;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
  expired?: boolean;
  cancelled?: boolean;
}

interface Helper {
  child: ChildProcess;
  heapMb: number;
  job: Job | null;
  stderrTail: string;
  /** It has loaded; deadlines count from here, not from the process's start. */
  ready: boolean;
  closed: boolean;
}

const STDERR_TAIL = 4096;
const helpers = new Set<Helper>();
const queue: Job[] = [];
let nextId = 1;

function helperEntry(): string {
  for (const name of ["./toolchain-worker.ts", "./toolchain-worker.js"]) {
    const file = fileURLToPath(new URL(name, import.meta.url));
    if (fs.existsSync(file)) return file;
  }
  throw new Error("compiler helper entry not found (toolchain-worker.ts or toolchain-worker.js)");
}

/** Keeps (or stops keeping) this process alive for the helper. */
function setRef(helper: Helper, on: boolean): void {
  const handles: { ref(): void; unref(): void }[] = [helper.child];
  if (helper.child.channel) handles.push(helper.child.channel);
  for (const h of handles) {
    if (on) h.ref();
    else h.unref();
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** Why `job` failed when its helper died: cancelled, a limit (with its one line), or a crash. */
function failureOf(helper: Helper, job: Job, code: number | null, signal: NodeJS.Signals | null): Error {
  if (job.cancelled) return new ApiError("cancelled", "cancelled");
  if (job.expired) return new ToolchainLimitError(`${job.label} exceeded ${seconds(job.limits.deadlineMs)}`);
  if (/heap out of memory|heap limit/i.test(helper.stderrTail)) return new ToolchainLimitError(`${job.label} ran out of memory (heap limit ${helper.heapMb} MB)`);
  return new Error(`${job.label} failed: its helper process died (${signal ?? `exit code ${code}`})`);
}

function spawnHelper(heapMb: number): Helper {
  const child = fork(helperEntry(), [], {
    execArgv: [`--max-old-space-size=${heapMb}`],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const helper: Helper = { child, heapMb, job: null, stderrTail: "", ready: false, closed: false };
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    helper.stderrTail = (helper.stderrTail + chunk).slice(-STDERR_TAIL);
  });
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  child.on("message", (reply: ToolchainReply) => onReply(helper, reply));
  // A failed spawn or send: the process is gone or going; fail its request now.
  child.on("error", () => {
    if (helper.closed) return;
    onExit(helper, child.exitCode, child.signalCode);
    child.kill("SIGKILL");
  });
  child.once("close", (code, signal) => onExit(helper, code, signal));
  helpers.add(helper);
  return helper;
}

function onReply(helper: Helper, reply: ToolchainReply): void {
  if ("ready" in reply) {
    helper.ready = true;
    if (helper.job) startDeadline(helper, helper.job);
    return;
  }
  const job = helper.job;
  if (!job || reply.id !== job.request.id) return;
  clearTimeout(job.timer);
  helper.job = null;
  setRef(helper, false);
  if ("error" in reply) job.reject(new Error(`${job.label} failed: ${reply.error}`));
  else job.resolve(reply.result);
  const warmTwin = [...helpers].some((h) => h !== helper && h.job === null && h.heapMb === helper.heapMb);
  if (warmTwin) retire(helper);
  dispatch();
}

/** Stops an idle helper; it takes no more requests. */
function retire(helper: Helper): void {
  helpers.delete(helper);
  helper.child.kill();
}

function onExit(helper: Helper, code: number | null, signal: NodeJS.Signals | null): void {
  if (helper.closed) return;
  helper.closed = true;
  helpers.delete(helper);
  const job = helper.job;
  if (job) {
    clearTimeout(job.timer);
    helper.job = null;
    job.reject(failureOf(helper, job, code, signal));
  }
  dispatch();
}

function startDeadline(helper: Helper, job: Job): void {
  job.timer = setTimeout(() => {
    job.expired = true;
    helper.child.kill("SIGKILL");
  }, job.limits.deadlineMs);
}

function start(helper: Helper, job: Job): void {
  helper.job = job;
  helper.stderrTail = "";
  setRef(helper, true);
  if (helper.ready) startDeadline(helper, job);
  helper.child.send(job.request);
}

/** A helper for `job`: an idle one with its heap limit, a new one, or null when all are busy. */
function helperFor(job: Job): Helper | null {
  const idle = [...helpers].filter((h) => h.job === null && h.child.connected);
  const match = idle.find((h) => h.heapMb === job.limits.heapMb);
  if (match) return match;
  if (helpers.size >= MAX_HELPERS && idle[0]) retire(idle[0]);
  return helpers.size < MAX_HELPERS ? spawnHelper(job.limits.heapMb) : null;
}

function dispatch(): void {
  while (queue.length > 0) {
    let helper: Helper | null;
    try {
      helper = helperFor(queue[0]!);
    } catch (err) {
      queue.shift()!.reject(err instanceof Error ? err : new Error(String(err)));
      continue;
    }
    if (!helper) return;
    start(helper, queue.shift()!);
  }
}

/** Ends `job` early: a queued one leaves the queue, a running one's helper is killed. */
function cancel(job: Job): void {
  const queued = queue.indexOf(job);
  if (queued >= 0) {
    queue.splice(queued, 1);
    job.reject(new ApiError("cancelled", "cancelled"));
    return;
  }
  const helper = [...helpers].find((h) => h.job === job);
  if (!helper) return;
  job.cancelled = true;
  helper.child.kill("SIGKILL");
}

/** Options of one helper request. */
export interface HelperRequestOptions {
  limits?: Partial<ToolchainLimits>;
  /** Aborting it cancels the request (its helper is killed if it is running). */
  signal?: AbortSignal;
}

/** Runs one request in a helper process; `label` names it in limit messages ("type check"). */
export function runInHelper(kind: ToolchainKind, source: string, filename: string, label: string, opts: HelperRequestOptions = {}): Promise<unknown> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(new ApiError("cancelled", "cancelled"));
  let job: Job | undefined;
  const onAbort = () => job && cancel(job);
  return new Promise((resolve, reject) => {
    const request: ToolchainRequest = { id: nextId++, kind, source, filename };
    job = { request, limits: { ...DEFAULT_TOOLCHAIN_LIMITS, ...opts.limits }, label, resolve, reject };
    signal?.addEventListener("abort", onAbort, { once: true });
    queue.push(job);
    dispatch();
  }).finally(() => signal?.removeEventListener("abort", onAbort));
}

/** Process ids of the running helpers (for diagnostics and tests). */
export function helperPids(): number[] {
  return [...helpers].flatMap((h) => (h.child.pid === undefined ? [] : [h.child.pid]));
}
