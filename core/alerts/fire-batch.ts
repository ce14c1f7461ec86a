/**
 * Group commit of alert fires and their fan-out: the fires collected while a feed frame is handled
 * (one event-loop turn) are recorded in one transaction, then the new ones are notified to the
 * desktop listeners and handed to the webhook dispatcher — never before their commit. A frame's
 * fires wait for the rest of the frame at most {@link GROUP_COMMIT_MAX_WAIT_MS}; a batch that fails
 * to commit notifies none and stays collected, to be retried under the same idempotency keys.
 */
import type { AlertRule, KeyedFire } from "../../common/alerts/types.ts";
import type { AlertLogEntry } from "../../common/api/alerts.ts";
import type { AlertDb, NewFire } from "./alert-db.ts";

/**
 * A frame's fires wait for its remaining trades at most this long (ms of handling since the first
 * of them): past it they are committed and notified at once, so a long frame (a backlog, every bar
 * closing at once) does not hold its first fires behind the evaluation of all its trades.
 */
export const GROUP_COMMIT_MAX_WAIT_MS = 1;

/**
 * The delivery lists a fire can have, shared by every fire and never changed: index = desktop (0
 * none, 1 pending, 2 done) + 3 with a webhook.
 */
const DELIVERIES: readonly NewFire["deliveries"][] = [false, true].flatMap((webhook) =>
  [null, false, true].map((desktop) =>
    Object.freeze([
      ...(desktop === null ? [] : [Object.freeze({ channel: "desktop" as const, done: desktop })]),
      ...(webhook ? [Object.freeze({ channel: "webhook" as const, done: false })] : []),
    ]) as NewFire["deliveries"],
  ),
);

/** One group commit of fires: how many, how many were new, and the ms its commit and notifications took. */
export interface FireBatchStats {
  fires: number;
  fresh: number;
  commitMs: number;
  notifyMs: number;
}

/** What a {@link FireBatch} records into and reports to. */
export interface FireBatchOptions {
  adb: AlertDb;
  /** Local wall clock (ms): the fires' recorded-at time. */
  now: () => number;
  /** Called after a commit that queued webhook deliveries. */
  kickWebhooks: () => void;
  log: { error(obj: object, msg: string): void };
  /** Called after each batch is committed and notified, with its timings (benchmarks). */
  onBatch?: ((batch: FireBatchStats) => void) | undefined;
}

/** Collects fires, records them in group commits and notifies the listeners of the new ones. */
export class FireBatch {
  private readonly o: FireBatchOptions;
  private readonly listeners = new Set<(entry: AlertLogEntry) => void>();
  private pending: NewFire[] = [];
  /** Whether a commit of `pending` is queued for the end of the current frame. */
  private scheduled = false;
  /** When (performance.now()) the first fire of `pending` was collected; null when none is. */
  private pendingSince: number | null = null;

  constructor(options: FireBatchOptions) {
    this.o = options;
  }

  /** Receives every new fire once it is recorded; returns the unsubscribe function. */
  onFire(listener: (entry: AlertLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Collects a fire of `rule` (delivered by its rule's channels; a desktop one is done at once when someone listens). */
  add(rule: AlertRule, fire: KeyedFire, lateMs: number | null): void {
    const deliveries = DELIVERIES[(rule.deliver.desktop ? (this.listeners.size > 0 ? 2 : 1) : 0) + (rule.deliver.webhook ? 3 : 0)]!;
    this.pending.push({ fire, lateMs, deliveries, firedOnce: rule.frequency === "once" });
    this.pendingSince ??= performance.now();
  }

  /**
   * Queues a commit of the collected fires for the end of the current frame: a feed frame's trades
   * (or one turn of the event loop) are handled synchronously, so their fires share one transaction.
   */
  schedule(): void {
    if (this.pending.length === 0) return;
    this.pendingSince ??= performance.now();
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.commit();
    });
  }

  /** Commits now when the oldest collected fire has waited past {@link GROUP_COMMIT_MAX_WAIT_MS}. */
  commitIfOverdue(): void {
    if (this.pendingSince !== null && performance.now() - this.pendingSince > GROUP_COMMIT_MAX_WAIT_MS) this.commit();
  }

  /**
   * Records the collected fires in one transaction, then notifies the new ones — never before the
   * commit. A batch that fails to commit notifies none and stays collected: it is retried with the
   * next batch or at the next clock tick, under the same idempotency keys.
   */
  commit(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingSince = null;
    const started = performance.now();
    let fresh: NewFire[];
    try {
      fresh = this.o.adb.recordFires(batch, this.o.now());
    } catch (err) {
      this.pending = batch.concat(this.pending);
      this.o.log.error({ fires: batch.length, err: (err as Error).message }, "alert fires not recorded (none notified); retrying");
      return;
    }
    const committed = performance.now();
    let webhook = false;
    for (const n of fresh) {
      for (const d of n.deliveries) {
        if (d.channel === "webhook") webhook = true;
        else if (d.done) this.notify({ ...n.fire, lateMs: n.lateMs, deliveries: [{ channel: "desktop", status: "delivered", attempts: 1, error: null }] });
      }
    }
    if (webhook) this.o.kickWebhooks();
    this.o.onBatch?.({ fires: batch.length, fresh: fresh.length, commitMs: committed - started, notifyMs: performance.now() - committed });
  }

  private notify(entry: AlertLogEntry): void {
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch (err) {
        this.o.log.error({ key: entry.key, err: (err as Error).message }, "alert listener failed");
      }
    }
  }
}
