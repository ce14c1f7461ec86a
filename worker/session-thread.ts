/**
 * The session thread of a strategy host process: it holds the live sessions' isolates and reads
 * core's session requests straight from the session channel (a pipe, length-prefixed JSON frames;
 * see common/worker/protocol.ts), runs each step on this thread (no hand-off to isolated-vm's
 * threads and back) and writes each answer as soon as its step is done. So a bar's round trip
 * wakes one thread each way, not three. The main thread keeps what a blocked step must not stop:
 * the memory watchdog polls on it (this thread delegates its watches there, with the ids of the
 * requests it is running in shared memory) and, on a breach, answers those requests over IPC and
 * retires the process; isolated-vm's own heap limit and step time limit act here as before.
 */
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { encodeFrames, frameListener } from "../common/worker/frames.ts";
import type { WorkerRequestMessage } from "../common/worker/protocol.ts";
import { errorBody, type WorkerCallContext } from "./registry.ts";
import { forwardRetirement } from "./retire.ts";
import { delegateMemoryWatch } from "./strategy/memory-watchdog.ts";
import { prepareStrategyHost } from "./strategy/methods.ts";
import { SESSION_STEP_MS, sessionLimitMb, sessionThreadMethods } from "./strategy/sessions.ts";

/** How many requests the session thread can run at once and still be answered by the main thread on a breach. */
export const INFLIGHT_SLOTS = 64;

/** What the main thread hands the session thread. */
export interface SessionThreadData {
  fd: number;
  /** The requests this thread is running ({@link InflightSlots}). */
  inflight: SharedArrayBuffer;
}

/** Session thread → main thread. */
export type SessionThreadMessage =
  | { type: "ready" }
  | { type: "watch"; key: number; limitMb: number }
  | { type: "unwatch"; key: number }
  | { type: "retire"; reason: string };

/** Values per in-flight slot: the request id (0 = free), the time its step must be done by (0 = not a step), the session's memory limit. */
const SLOT_WIDTH = 3;

/**
 * Past its time limit, how long a step may still take before the main thread takes it as stuck
 * (isolated-vm could not stop it: a catastrophic out-of-memory error waits for this very thread).
 */
export const STUCK_GRACE_MS = 1000;

/** A request the session thread is running, as the main thread reads it. */
export interface InflightRequest {
  id: number;
  /** Epoch ms its step must be done by (0: not a step). */
  dueBy: number;
  limitMb: number;
}

/** The in-flight requests in shared memory: the session thread enters and leaves, the main thread reads and takes. */
export class InflightSlots {
  private readonly cells: BigInt64Array;
  constructor(buffer: SharedArrayBuffer) {
    this.cells = new BigInt64Array(buffer);
  }
  /** Bytes of shared memory for the slots. */
  static bytes(): number {
    return INFLIGHT_SLOTS * SLOT_WIDTH * 8;
  }
  /** Marks `req` running; the slot to leave (-1: no slot free, so the main thread cannot answer it). */
  enter(req: InflightRequest): number {
    for (let i = 0; i < this.cells.length; i += SLOT_WIDTH) {
      if (Atomics.compareExchange(this.cells, i, 0n, BigInt(req.id)) !== 0n) continue;
      Atomics.store(this.cells, i + 1, BigInt(req.dueBy));
      Atomics.store(this.cells, i + 2, BigInt(req.limitMb));
      return i;
    }
    return -1;
  }
  leave(slot: number): void {
    if (slot >= 0) Atomics.store(this.cells, slot, 0n);
  }
  /** Takes the running requests `take` picks (their slots are freed, so each is answered once) and returns them. */
  list(take: (req: InflightRequest) => boolean): InflightRequest[] {
    const out: InflightRequest[] = [];
    for (let i = 0; i < this.cells.length; i += SLOT_WIDTH) {
      const id = Atomics.load(this.cells, i);
      if (id === 0n) continue;
      const req = { id: Number(id), dueBy: Number(Atomics.load(this.cells, i + 1)), limitMb: Number(Atomics.load(this.cells, i + 2)) };
      if (take(req) && Atomics.compareExchange(this.cells, i, id, 0n) === id) out.push(req);
    }
    return out;
  }
}

/** Runs the session thread (called when the host entry is loaded as a worker thread). */
export function runSessionThread(): void {
  const port = parentPort;
  if (!port) throw new Error("the session thread must run as a worker thread");
  const data = workerData as SessionThreadData;
  const post = (msg: SessionThreadMessage) => port.postMessage(msg);
  let nextKey = 1;
  delegateMemoryWatch((limitMb) => {
    const key = nextKey++;
    post({ type: "watch", key, limitMb });
    return () => post({ type: "unwatch", key });
  });
  forwardRetirement((reason) => post({ type: "retire", reason }));
  prepareStrategyHost();
  const slots = new InflightSlots(data.inflight);
  const socket = new net.Socket({ fd: data.fd, readable: true, writable: true });
  const ctx: WorkerCallContext = { signal: new AbortController().signal, progress: () => undefined };
  const answer = (text: string) => socket.write(encodeFrames([text]));
  const onCorrupt = (err: Error): void => {
    // Core's frames are never corrupt unless the pipe is: stop reading and have this host replaced.
    socket.destroy();
    post({ type: "retire", reason: `corrupt session frame from core: ${err.message}` });
  };
  socket.on("data", frameListener(parseRequest, (req) => handle(req, ctx, slots, answer), onCorrupt));
  // Core gone: the main thread sees the IPC channel close and ends the process.
  socket.on("error", () => undefined);
  post({ type: "ready" });
}

/** One request frame's message; throws when it is not JSON or not a request. */
function parseRequest(text: string): WorkerRequestMessage {
  const req: unknown = JSON.parse(text);
  const { id, method } = (typeof req === "object" && req !== null ? req : {}) as { id?: unknown; method?: unknown };
  if (typeof id !== "number" || typeof method !== "string") throw new Error(`not a request: ${text.slice(0, 80)}`);
  return req as WorkerRequestMessage;
}

/** Runs one request and writes its answer (the handler's JSON text spliced in as the result). */
function handle(req: WorkerRequestMessage, ctx: WorkerCallContext, slots: InflightSlots, answer: (text: string) => void): void {
  const ok = (json: string) => answer(`{"type":"response","id":${req.id},"ok":true,"result":${json}}`);
  const fail = (err: unknown) => answer(JSON.stringify({ type: "response", id: req.id, ok: false, error: errorBody(err).toBody() }));
  const handler = sessionThreadMethods[req.method];
  if (!handler) return fail(new Error(`the session thread has no method "${req.method}"`));
  const slot = slots.enter({ id: req.id, dueBy: req.method === "session.step" ? Date.now() + SESSION_STEP_MS + STUCK_GRACE_MS : 0, limitMb: sessionLimitMb(req.params) });
  let out: string | Promise<string>;
  try {
    out = handler(req.params, ctx);
  } catch (err) {
    slots.leave(slot);
    return fail(err);
  }
  if (typeof out === "string") {
    slots.leave(slot);
    return ok(out);
  }
  void out.then(ok, fail).finally(() => slots.leave(slot));
}
