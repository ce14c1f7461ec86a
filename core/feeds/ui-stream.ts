/**
 * Coalescing for UI streams: whatever rate a feed runs at, a window gets at most one update per
 * animation frame per stream — the trades of that frame as one batch, the book top as it is at the
 * end of the frame, the newest ticker. When the consumer is not ready (a slow or hidden window),
 * nothing waits on it: trades beyond a cap and superseded book/ticker values are dropped and
 * counted, and the feed itself never slows down.
 */
import type { Clock, TimerHandle } from "./clock.ts";

/** Options shared by the coalescers. */
export interface CoalescerOptions<U> {
  clock: Clock;
  /** Frame period (default 16 ms, one animation frame). */
  frameMs?: number;
  /** Whether the consumer can take an update now (default: always). */
  ready?: () => boolean;
  deliver(update: U): void;
}

/** Schedules one flush per frame while there is something to send. */
abstract class FrameCoalescer<U> {
  /** Items dropped because the consumer was not ready. */
  dropped = 0;
  private timer: TimerHandle | null = null;
  private closed = false;
  protected readonly options: CoalescerOptions<U>;

  constructor(options: CoalescerOptions<U>) {
    this.options = options;
  }

  /** Stops flushing. */
  close(): void {
    this.closed = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  protected schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      if (this.options.ready && !this.options.ready()) {
        this.schedule();
        return;
      }
      const update = this.take();
      if (update !== null) this.options.deliver(update);
    }, this.options.frameMs ?? 16);
  }

  /** The update to send now, or null. */
  protected abstract take(): U | null;
}

/** Batches trades per frame, keeping at most `maxPending` while the consumer is slow. */
export class TradeCoalescer<T> extends FrameCoalescer<{ items: T[]; dropped: number }> {
  private pending: T[] = [];
  private droppedSinceLast = 0;
  private readonly maxPending: number;

  constructor(options: CoalescerOptions<{ items: T[]; dropped: number }> & { maxPending?: number }) {
    super(options);
    this.maxPending = options.maxPending ?? 1000;
  }

  /** Adds one trade. */
  push(item: T): void {
    this.pending.push(item);
    if (this.pending.length > this.maxPending) {
      const excess = this.pending.length - this.maxPending;
      this.pending.splice(0, excess);
      this.dropped += excess;
      this.droppedSinceLast += excess;
    }
    this.schedule();
  }

  protected take(): { items: T[]; dropped: number } | null {
    if (this.pending.length === 0 && this.droppedSinceLast === 0) return null;
    const out = { items: this.pending, dropped: this.droppedSinceLast };
    this.pending = [];
    this.droppedSinceLast = 0;
    return out;
  }
}

/** Sends the latest value per frame; a value replaced before it could be sent counts as dropped. */
export class LatestCoalescer<T> extends FrameCoalescer<T> {
  private value: (() => T | null) | null = null;
  private waitingSince: number | null = null;

  /** Marks the stream changed; `read` builds the value at flush time (e.g. the book top). */
  mark(read: () => T | null): void {
    if (this.value !== null && this.waitingSince !== null && this.options.clock.now() - this.waitingSince >= (this.options.frameMs ?? 16)) {
      this.dropped++;
      this.waitingSince = this.options.clock.now();
    }
    if (this.value === null) this.waitingSince = this.options.clock.now();
    this.value = read;
    this.schedule();
  }

  protected take(): T | null {
    const read = this.value;
    this.value = null;
    this.waitingSince = null;
    return read ? read() : null;
  }
}
