/**
 * Retiring a worker process that can no longer be trusted with work: a sandbox whose thread is
 * stuck (out of memory inside V8, or allocating in a native loop that does not stop when told)
 * cannot be freed, so the process must go. The worker tells core at once (`retiring`: core sends
 * it nothing more and starts a replacement), answers the request that caused it, and then ends
 * itself; if no answer goes out within a few seconds it ends anyway. On the session thread (no IPC
 * channel) the retirement is handed to the main thread ({@link forwardRetirement}).
 */
import type { FromWorker } from "../common/worker/protocol.ts";

/** How long a retiring worker waits for its answer to go out before it ends regardless. */
export const RETIRE_GRACE_MS = 3000;

let retiring = false;
/** Where this thread's retirement goes instead (null: this thread holds the IPC channel). */
let forward: ((reason: string) => void) | null = null;

/** Hands every later {@link retireWorker} of this thread to `retire` (the main thread's). */
export function forwardRetirement(retire: (reason: string) => void): void {
  forward = retire;
}

/**
 * Ends this process now. SIGKILL, not `process.exit`: exiting runs V8's teardown, which crashes
 * (SIGSEGV) while an isolate's thread is still running.
 */
export function endWorkerProcess(): void {
  process.kill(process.pid, "SIGKILL");
}

/** Marks this worker as retiring and tells core (once). */
export function retireWorker(reason: string): void {
  if (retiring) return;
  retiring = true;
  if (forward) return forward(reason);
  const msg: FromWorker = { type: "retiring", reason };
  if (process.connected) process.send?.(msg);
  setTimeout(endWorkerProcess, RETIRE_GRACE_MS);
}

/** True once {@link retireWorker} was called: finish the current answer, start no new work. */
export function workerRetiring(): boolean {
  return retiring;
}
