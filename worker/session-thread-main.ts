/**
 * The main thread's side of the session thread (`session-thread.ts`): starts it on the session
 * channel and watches what a step that blocks that thread cannot watch itself. Its memory watches
 * run on this thread's watchdog: past the ceiling, the requests it is running are answered with
 * the memory error and the process retires. And a step still running past its time limit plus
 * {@link STUCK_GRACE_MS} is stuck (isolated-vm could not stop it; a catastrophic out-of-memory
 * error waits for the very thread that is stuck): it is answered with MemoryLimit when the
 * process grew by more than a quarter of the session's limit meanwhile, as `Crashed` otherwise, and the
 * process retires — its other sessions' requests fail as a crash, and core re-warms them on
 * another worker. A session thread that dies takes its sessions along: the process ends.
 */
import { Worker } from "node:worker_threads";
import type { ApiError } from "../common/api/errors.ts";
import { SESSION_CHANNEL_FD, type FromWorker } from "../common/worker/protocol.ts";
import { endWorkerProcess, retireWorker } from "./retire.ts";
import { InflightSlots, STUCK_GRACE_MS, type InflightRequest, type SessionThreadData, type SessionThreadMessage } from "./session-thread.ts";
import { WATCH_INTERVAL_MS, watchMemory } from "./strategy/memory-watchdog.ts";
import { limitError, memoryLimitError, sharedMemoryBreachError } from "./strategy/run-errors.ts";

/** Sends answers to core (the last one ends a retiring process once written). */
export type AnswerCore = (msgs: FromWorker[]) => void;

const MB = 1024 * 1024;

/**
 * Why a stuck step ended: memory when the process grew by more than a quarter of the session's
 * limit since `baseRss` (V8's own out-of-memory error, which isolated-vm cannot turn into an
 * answer while this thread is stuck, comes when one large allocation does not fit: the Map bomb
 * of the tests dies with ~29 MB in use under a 64 MB limit), `Crashed` otherwise.
 */
function stuckError(req: InflightRequest, baseRss: number): ApiError {
  if (process.memoryUsage.rss() - baseRss > (req.limitMb * MB) / 4) return memoryLimitError({ memoryMb: req.limitMb });
  return limitError("Crashed", `the strategy's step could not be stopped ${STUCK_GRACE_MS} ms after its time limit (stuck in native code); its worker was replaced`);
}

/** The session thread's watches on this thread: memory (see memory-watchdog.ts) and stuck steps. */
class SessionWatch {
  private readonly slots: InflightSlots;
  private readonly answer: AnswerCore;
  private readonly memory = new Map<number, () => void>();
  private baseRss = Number.POSITIVE_INFINITY;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(slots: InflightSlots, answer: AnswerCore) {
    this.slots = slots;
    this.answer = answer;
  }

  watch(key: number, limitMb: number): void {
    this.baseRss = Math.min(this.baseRss, process.memoryUsage.rss());
    const onBreach = (alone: boolean, ceilingMb: number) => this.end(() => true, () => (alone ? memoryLimitError({ memoryMb: limitMb }) : sharedMemoryBreachError()), `memory over ${ceilingMb} MB`);
    this.memory.set(key, watchMemory(limitMb, onBreach));
    this.timer ??= setInterval(() => this.checkStuck(), WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  unwatch(key: number): void {
    this.memory.get(key)?.();
    this.memory.delete(key);
    if (this.memory.size > 0 || this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
    this.baseRss = Number.POSITIVE_INFINITY;
  }

  private checkStuck(): void {
    const now = Date.now();
    this.end((req) => req.dueBy !== 0 && req.dueBy < now, (req) => stuckError(req, this.baseRss), "a step could not be stopped");
  }

  /** Answers the running requests `which` picks with `error` and retires the process. */
  private end(which: (req: InflightRequest) => boolean, error: (req: InflightRequest) => ApiError, reason: string): void {
    const taken = this.slots.list(which);
    if (taken.length === 0) return;
    retireWorker(`a strategy session could not be stopped (${reason})`);
    this.answer(taken.map((req) => ({ type: "response", id: req.id, ok: false, error: error(req).toBody() })));
  }
}

/** Starts the session thread from `entry` (this host's own entry file); resolves when it is ready. */
export function startSessionThread(entry: URL, answer: AnswerCore): Promise<void> {
  const inflight = new SharedArrayBuffer(InflightSlots.bytes());
  const watch = new SessionWatch(new InflightSlots(inflight), answer);
  const worker = new Worker(entry, { workerData: { fd: SESSION_CHANNEL_FD, inflight } satisfies SessionThreadData });
  return new Promise((resolve, reject) => {
    worker.on("message", (msg: SessionThreadMessage) => {
      if (msg.type === "ready") resolve();
      else if (msg.type === "retire") retireWorker(msg.reason);
      else if (msg.type === "watch") watch.watch(msg.key, msg.limitMb);
      else watch.unwatch(msg.key);
    });
    worker.on("error", (err) => {
      process.stderr.write(`strategy host: the session thread failed, ending this worker: ${err.message}\n`);
      reject(err);
      endWorkerProcess();
    });
    worker.on("exit", () => endWorkerProcess());
  });
}
