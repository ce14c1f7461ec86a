/**
 * A fixed-size pool of strategy host processes. Requests go to the least-busy worker; a worker
 * that dies (crash, OOM, kill) fails only its own in-flight requests with {@link WorkerCrashedError}
 * and is replaced at once (with a short delay if it keeps dying right after start). A worker that
 * says it is `retiring` gets no new requests and is replaced at once; it ends itself after
 * answering (its other in-flight requests fail as if it died). `shutdown()`
 * asks every worker to exit and kills those that do not within a grace period. Live sessions'
 * requests (`session.*`) take each worker's session channel (`session-channel.ts`): a pipe read by
 * the worker's session thread, which runs the steps itself — one thread woken each way per bar.
 */
import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { ApiError } from "../../common/api/errors.ts";
import type { Progress } from "../../common/api/protocol.ts";
import type { WorkerMethodMap, WorkerMethodName } from "../../common/worker/methods.ts";
import type { FromWorker, ToWorker, WorkerRequestMessage } from "../../common/worker/protocol.ts";
import { TurnBatch } from "./turn-batch.ts";
import type { Logger } from "../log.ts";
import { workerEnv } from "./entry.ts";
import { SESSION_CHANNEL_ENV, SESSION_CHANNEL_STDIO, SessionChannel, channelStream, isSessionMethod } from "./session-channel.ts";

/** A request failed because its worker process died. */
export class WorkerCrashedError extends ApiError {
  constructor(detail: string) {
    super("unavailable", `strategy worker died (${detail}); the run was stopped and the worker replaced`);
  }
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  size: number;
  entry: string;
  execArgv: string[];
  /** Where worker starts and deaths are logged (any logger with these two levels). */
  log: Pick<Logger, "debug" | "warn">;
  /** Grace period for a clean exit on shutdown. */
  shutdownGraceMs?: number;
  /**
   * False: live sessions go over IPC to the worker's main thread (steps on isolated-vm's threads) instead of the session
   * channel, and the worker starts no session thread (one-shot CLI pools that run no live session: a quicker start).
   */
  sessionChannel?: boolean;
  /**
   * True: each idle worker keeps a warmed spare sandbox for the next backtest (worker/strategy/spare-sandbox.ts).
   * For long-lived pools (core's); a one-shot pool (a CLI command) leaves it off, as the spare's warm-up
   * would compete with the command's own run for the CPU. `WS_SPARE_SANDBOX=0` in core's environment turns it off.
   * "first": no spare, but the worker opens its first backtest's sandbox (the engine loaded, no
   * warm-up) as soon as it starts, while it waits for the request and reads the bars (a CLI backtest).
   */
  spareSandbox?: boolean | "first";
}

/** Options of one request. */
export interface WorkerRequestOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Send to this pinned worker (a live session's); fails when that process is gone. */
  pin?: WorkerPin;
}

/** A worker a live session is pinned to: its slot and the process that holds the session. */
export interface WorkerPin {
  index: number;
  pid: number;
}

interface InFlight {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress: ((progress: Progress) => void) | undefined;
}

interface Slot {
  index: number;
  child: ChildProcess;
  /** Said `retiring`: already out of `slots`, its replacement started. */
  retiring: boolean;
  ready: Promise<void>;
  inflight: Map<number, InFlight>;
  /** Requests that chose this worker and wait for it to be ready (not in `inflight` yet): counted as its load. */
  waiting: number;
  startedAt: number;
  /** Requests made this turn, sent together over IPC at its end. */
  outbox: TurnBatch;
  /** Where `session.*` requests go (null: over IPC, like the others). */
  channel: SessionChannel | null;
}

/** Events: `restart` (index, pid of the new process). */
export class WorkerPool extends EventEmitter {
  private readonly slots: (Slot | null)[];
  private nextId = 1;
  private stopping = false;
  private restartCount = 0;
  /** Live sessions pinned to each slot. */
  private readonly pinned: number[] = [];

  private readonly options: WorkerPoolOptions;

  constructor(options: WorkerPoolOptions) {
    super();
    this.options = options;
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => null);
  }

  /** Live worker count and how many were replaced so far. */
  status(): { alive: number; restarts: number; pids: number[] } {
    const pids = this.slots.flatMap((s) => (s?.child.pid && s.child.exitCode === null ? [s.child.pid] : []));
    return { alive: pids.length, restarts: this.restartCount, pids };
  }

  /** Starts every worker now and waits until each has said ready. */
  async warmUp(): Promise<void> {
    await Promise.all(this.slots.map((_, i) => this.slotAt(i).ready));
  }

  /** A typed request (see common/worker/methods.ts). */
  call<M extends WorkerMethodName>(method: M, params: WorkerMethodMap[M]["params"], options: WorkerRequestOptions = {}): Promise<WorkerMethodMap[M]["result"]> {
    return this.request<WorkerMethodMap[M]["result"]>(method, params, options);
  }

  /** Pins a new live session to the worker with the fewest pinned sessions (started if needed). */
  async pin(): Promise<WorkerPin> {
    let best = 0;
    for (let i = 1; i < this.slots.length; i++) if ((this.pinned[i] ?? 0) < (this.pinned[best] ?? 0)) best = i;
    const slot = this.slotAt(best);
    await slot.ready;
    this.pinned[best] = (this.pinned[best] ?? 0) + 1;
    return { index: best, pid: slot.child.pid ?? -1 };
  }

  /** Releases a pin (the session stopped, or moved to another worker). */
  unpin(pin: WorkerPin): void {
    this.pinned[pin.index] = Math.max(0, (this.pinned[pin.index] ?? 0) - 1);
  }

  /** Sends a request to the least-busy worker (or to `options.pin`'s). */
  async request<T>(method: string, params: unknown, options: WorkerRequestOptions = {}): Promise<T> {
    if (this.stopping) throw new ApiError("unavailable", "worker pool is shutting down");
    const slot = options.pin ? this.pinnedSlot(options.pin) : this.slotAt(this.leastBusyIndex());
    // Counted at once: requests made in the same turn (a sweep's first batches) spread over the
    // workers instead of all choosing the one that was least busy before any of them registered.
    slot.waiting++;
    try {
      await slot.ready;
    } finally {
      slot.waiting--;
    }
    const signal = options.signal;
    if (signal?.aborted) throw new ApiError("cancelled", "cancelled");
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        if (!slot.inflight.delete(id)) return;
        slot.outbox.drop(id);
        slot.channel?.drop(id);
        this.post(slot, { type: "cancel", id });
        reject(new ApiError("cancelled", "cancelled"));
      };
      const settle =
        <V>(fn: (value: V) => void) =>
        (value: V): void => {
          signal?.removeEventListener("abort", onAbort);
          fn(value);
        };
      slot.inflight.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject), onProgress: options.onProgress });
      signal?.addEventListener("abort", onAbort, { once: true });
      const req: WorkerRequestMessage = { type: "request", id, method, params };
      if (slot.channel && isSessionMethod(method)) slot.channel.send(req);
      else slot.outbox.push(req);
    });
  }

  /** Stops every worker; waits for them to exit. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    const grace = this.options.shutdownGraceMs ?? 2000;
    await Promise.all(
      this.slots.map(async (slot) => {
        if (!slot || slot.child.exitCode !== null || slot.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => slot.child.once("exit", () => resolve()));
        this.post(slot, { type: "shutdown" });
        const timer = setTimeout(() => slot.child.kill("SIGKILL"), grace);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private pinnedSlot(pin: WorkerPin): Slot {
    const slot = this.slots[pin.index];
    if (!slot || slot.retiring || slot.child.pid !== pin.pid) throw new WorkerCrashedError("the session's worker is gone");
    return slot;
  }

  private leastBusyIndex(): number {
    let best = 0;
    let bestLoad = Number.POSITIVE_INFINITY;
    this.slots.forEach((slot, i) => {
      const load = slot ? slot.inflight.size + slot.waiting : 0;
      if (load < bestLoad) {
        best = i;
        bestLoad = load;
      }
    });
    return best;
  }

  private slotAt(index: number): Slot {
    const existing = this.slots[index];
    if (existing) return existing;
    const slot = this.spawn(index);
    this.slots[index] = slot;
    return slot;
  }

  /**
   * Sends to a worker. A worker that died before its exit was seen has a closed pipe: the send
   * fails (EPIPE) and is only logged — its exit rejects the requests in flight.
   */
  private post(slot: Slot, msg: ToWorker): void {
    if (!slot.child.connected) return;
    slot.child.send(msg, (err) => {
      if (err) this.options.log.warn({ pid: slot.child.pid, err: err.message }, "strategy worker unreachable");
    });
  }

  /** The worker's `WS_SPARE_SANDBOX` (see {@link WorkerPoolOptions.spareSandbox}). */
  private spareMode(): string {
    const { spareSandbox } = this.options;
    if (spareSandbox === "first") return "first";
    return spareSandbox === true && process.env.WS_SPARE_SANDBOX !== "0" ? "1" : "0";
  }

  private spawn(index: number): Slot {
    const channel = this.options.sessionChannel !== false;
    const child = fork(this.options.entry, [], {
      execArgv: this.options.execArgv,
      env: { ...workerEnv(), ...(channel ? SESSION_CHANNEL_ENV : {}), WS_SPARE_SANDBOX: this.spareMode() },
      serialization: "advanced",
      stdio: channel ? [...SESSION_CHANNEL_STDIO] : ["ignore", "inherit", "inherit", "ipc"],
    });
    const inflight = new Map<number, InFlight>();
    const ready = new Promise<void>((resolve, reject) => {
      child.once("message", (msg: FromWorker) => (msg.type === "ready" ? resolve() : reject(new Error("worker did not say ready"))));
      child.once("exit", (code, signal) => reject(new WorkerCrashedError(signal ?? `exit code ${code}`)));
    });
    ready.catch(() => undefined);
    const slot: Slot = { index, child, ready, inflight, waiting: 0, startedAt: Date.now(), retiring: false, outbox: new TurnBatch((batch) => this.post(slot, batch.length === 1 ? batch[0]! : { type: "requests", requests: batch })), channel: null };
    const stream = channelStream(child.stdio);
    if (stream) slot.channel = new SessionChannel(stream, (msg) => this.onMessage(slot, msg), (err) => this.onCorruptChannel(slot, err));
    child.on("message", (msg: FromWorker) => this.onMessage(slot, msg));
    // A ChildProcess 'error' with no listener would crash core; its exit is what counts.
    child.on("error", (err) => this.options.log.warn({ pid: child.pid, err: err.message }, "strategy worker process error"));
    child.once("exit", (code, signal) => this.onExit(index, slot, code, signal));
    this.options.log.debug({ pid: child.pid, index }, "strategy worker started");
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === "progress") slot.inflight.get(msg.id)?.onProgress?.(msg.progress);
    if (msg.type === "retiring") this.retire(slot, msg.reason);
    if (msg.type !== "response") return;
    const pending = slot.inflight.get(msg.id);
    if (!pending) return;
    slot.inflight.delete(msg.id);
    if (msg.ok) pending.resolve(msg.result);
    else pending.reject(ApiError.fromBody(msg.error));
  }

  /**
   * A worker whose session channel carried garbage: it is replaced and killed, so its requests in
   * flight fail with {@link WorkerCrashedError} (and its sessions are re-warmed elsewhere).
   */
  private onCorruptChannel(slot: Slot, err: Error): void {
    this.options.log.warn({ pid: slot.child.pid, index: slot.index, err: err.message }, "strategy worker sent a corrupt session frame");
    this.retire(slot, "corrupt session frame");
    slot.child.kill("SIGKILL");
  }

  /** Takes a retiring worker out of rotation and starts its replacement. */
  private retire(slot: Slot, reason: string): void {
    if (slot.retiring) return;
    slot.retiring = true;
    this.options.log.warn({ pid: slot.child.pid, index: slot.index, reason }, "strategy worker retiring; replacing it");
    if (this.slots[slot.index] !== slot) return;
    this.slots[slot.index] = null;
    this.restartCount++;
    if (this.stopping) return;
    const fresh = this.slotAt(slot.index);
    this.emit("restart", slot.index, fresh.child.pid);
  }

  private onExit(index: number, slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const detail = signal ?? `exit code ${code}`;
    for (const pending of slot.inflight.values()) pending.reject(new WorkerCrashedError(detail));
    slot.inflight.clear();
    if (slot.retiring) return;
    if (this.slots[index] === slot) this.slots[index] = null;
    if (this.stopping) return;
    this.restartCount++;
    this.options.log.warn({ pid: slot.child.pid, index, detail }, "strategy worker died; replacing it");
    const crashLooping = Date.now() - slot.startedAt < 1000;
    setTimeout(() => {
      if (this.stopping || this.slots[index]) return;
      const fresh = this.slotAt(index);
      this.emit("restart", index, fresh.child.pid);
    }, crashLooping ? 1000 : 0);
  }
}
