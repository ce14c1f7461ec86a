/**
 * Coalescing for UI streams: whatever rate a feed runs at, a window gets at most one update per
 * animation frame per stream — the trades of that frame as one batch (or only its newest, for a
 * tape), the book top as it is at the end of the frame, the newest ticker — and live bars built in
 * core, so a chart gets a few bars per update instead of every trade. When the consumer is not ready (a slow or hidden window),
 * nothing waits on it: trades beyond a cap and superseded book/ticker values are dropped and
 * counted, and the feed itself never slows down.
 */
import type { LiveBar } from "../../common/api/store.ts";
import { BarBuilder } from "../../common/market/bar-builder.ts";
import type { BarPeriod } from "../../common/market/timeframes.ts";
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

/** What a trade coalescer sends: the trades of a frame, and how many it left out. */
export interface TradeUpdate<T> {
  items: T[];
  /** Left out because the consumer was slow. */
  dropped: number;
  /** Left out because the consumer wants only the newest `newest` of each batch. */
  skipped: number;
}

/**
 * Batches trades per frame, keeping at most `maxPending` while the consumer is slow (the oldest go,
 * counted as dropped); with `newest`, a batch carries only its newest `newest` trades (the older
 * ones counted as skipped: a trades tape shows no more).
 */
export class TradeCoalescer<T> extends FrameCoalescer<TradeUpdate<T>> {
  private pending: T[] = [];
  private droppedSinceLast = 0;
  private skippedSinceLast = 0;
  private readonly maxPending: number;
  private readonly newest: number;

  constructor(options: CoalescerOptions<TradeUpdate<T>> & { maxPending?: number; newest?: number | undefined }) {
    super(options);
    this.maxPending = options.maxPending ?? 1000;
    this.newest = options.newest ?? Number.POSITIVE_INFINITY;
  }

  /** Adds one trade. */
  push(item: T): void {
    this.pending.push(item);
    const cap = Math.min(this.maxPending, this.newest);
    if (this.pending.length > cap) {
      const excess = this.pending.length - cap;
      this.pending.splice(0, excess);
      if (cap === this.newest) this.skippedSinceLast += excess;
      else {
        this.dropped += excess;
        this.droppedSinceLast += excess;
      }
    }
    this.schedule();
  }

  protected take(): TradeUpdate<T> | null {
    if (this.pending.length === 0 && this.droppedSinceLast === 0) return null;
    const out = { items: this.pending, dropped: this.droppedSinceLast, skipped: this.skippedSinceLast };
    this.pending = [];
    this.droppedSinceLast = 0;
    this.skippedSinceLast = 0;
    return out;
  }
}

/**
 * Builds live bars of one timeframe from trades and sends the bars changed since the last update,
 * at most once per frame: each closed bar in its final state, then the forming bar. While the
 * consumer is slow, closed bars beyond `maxClosed` are dropped (counted); the forming bar is
 * always current.
 */
export class BarCoalescer extends FrameCoalescer<{ bars: LiveBar[]; dropped: number }> {
  private readonly builder: BarBuilder;
  private closedBars: LiveBar[] = [];
  private changed = false;
  private droppedSinceLast = 0;
  private readonly maxClosed: number;

  constructor(options: CoalescerOptions<{ bars: LiveBar[]; dropped: number }> & { period: BarPeriod; maxClosed?: number }) {
    super(options);
    this.builder = new BarBuilder(options.period);
    this.maxClosed = options.maxClosed ?? 500;
  }

  /** Adds one trade (price and size as numbers: the bars are for display). */
  push(ts: number, price: number, size: number): void {
    const before = this.builder.current;
    const bar = this.builder.add(ts, price, size);
    if (!bar) return;
    if (before && bar !== before) {
      this.closedBars.push({ ...before });
      if (this.closedBars.length > this.maxClosed) {
        this.closedBars.shift();
        this.dropped++;
        this.droppedSinceLast++;
      }
    }
    this.changed = true;
    this.schedule();
  }

  protected take(): { bars: LiveBar[]; dropped: number } | null {
    const current = this.builder.current;
    if (!this.changed || !current) return null;
    const out = { bars: [...this.closedBars, { ...current }], dropped: this.droppedSinceLast };
    this.closedBars = [];
    this.changed = false;
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
