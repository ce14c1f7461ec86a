/**
 * The requests to one worker made in one turn of the event loop, handed over together when the turn
 * ends (every pinned session's bar when a trade closes it crosses as one message or one write).
 * Used by the pool's IPC path and by the session channel.
 */
import type { WorkerRequestMessage } from "../../common/worker/protocol.ts";

/** Collects a turn's requests and passes them, in order, to `flush` at the end of the turn. */
export class TurnBatch {
  private queued: WorkerRequestMessage[] | null = null;
  private readonly flush: (batch: WorkerRequestMessage[]) => void;

  constructor(flush: (batch: WorkerRequestMessage[]) => void) {
    this.flush = flush;
  }

  /** Queues a request for the end of this turn. */
  push(req: WorkerRequestMessage): void {
    if (this.queued) {
      this.queued.push(req);
      return;
    }
    this.queued = [req];
    queueMicrotask(() => {
      const batch = this.queued ?? [];
      this.queued = null;
      if (batch.length > 0) this.flush(batch);
    });
  }

  /** Drops a request that has not left yet (cancelled in the same turn). */
  drop(id: number): void {
    if (this.queued) this.queued = this.queued.filter((r) => r.id !== id);
  }
}
