/**
 * Coalescing to animation frames: a busy feed may deliver thousands of updates per second, the
 * screen shows at most one per frame. `Latest` keeps only the newest value; `Batch` keeps every
 * item (capped) until the frame. Each schedules one callback per frame at most, so the main
 * thread does a bounded amount of work however fast the feed is. The scheduler is injectable
 * for tests (requestAnimationFrame by default); {@link paced} slows one down further for text
 * panels (book, tape, quotes, legend), which nobody can read at 60 updates a second and whose
 * style, layout and paint cost far more than a canvas update.
 */

/** Schedules a callback before the next paint; returns nothing (cancellation is not needed). */
export type FrameScheduler = (cb: () => void) => void;

interface WithFrames {
  requestAnimationFrame(cb: () => void): number;
}

const raf: FrameScheduler = (cb) => void (globalThis as unknown as WithFrames).requestAnimationFrame(() => cb());

/**
 * A scheduler that runs each callback on the first frame at least `intervalMs` after the previous
 * one ran (at once, on the next frame, when that long has passed already).
 */
export function paced(
  intervalMs: number,
  schedule: FrameScheduler = raf,
  clock: () => number = () => performance.now(),
  later: (cb: () => void, ms: number) => void = (cb, ms) => void setTimeout(cb, ms),
): FrameScheduler {
  let last = Number.NEGATIVE_INFINITY;
  return (cb) => {
    const run = (): void =>
      schedule(() => {
        last = clock();
        cb();
      });
    const wait = last + intervalMs - clock();
    if (wait <= 0) run();
    else later(run, wait);
  };
}

/** How often text panels fed by the live feed re-render at most (ms). */
export const TEXT_PANEL_INTERVAL_MS = 100;

/**
 * Frame slots: at most one callback per frame, in the order they were asked for. Text panels
 * paced at the same interval would otherwise often land on the same frame, whose style, layout and
 * paint then cost the sum of all of them; spread over consecutive frames, each frame pays for one.
 */
export class FrameSlots {
  private readonly queue: (() => void)[] = [];
  private pending = false;
  private readonly schedule: FrameScheduler;

  constructor(schedule: FrameScheduler = raf) {
    this.schedule = schedule;
  }

  /** A scheduler that takes the next free frame slot. */
  readonly scheduler: FrameScheduler = (cb) => {
    this.queue.push(cb);
    this.next();
  };

  /** Callbacks waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  private next(): void {
    if (this.pending || this.queue.length === 0) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      const cb = this.queue.shift()!;
      this.next();
      cb();
    });
  }
}

/** The frame slots shared by the live text panels (book, tape, quotes, legend). */
export const textPanelSlots = new FrameSlots();

/** A scheduler for a live text panel: paced to {@link TEXT_PANEL_INTERVAL_MS}, one panel per frame. */
export function textPanelScheduler(): FrameScheduler {
  return paced(TEXT_PANEL_INTERVAL_MS, textPanelSlots.scheduler);
}

/**
 * Delivers only the newest value, once per frame. `clear` drops a value not yet rendered (an
 * immediate update made it stale); after `dispose` nothing more is rendered (a panel switching
 * symbol must not show the previous symbol's last value a frame later).
 */
export class Latest<T> {
  private value: T | undefined;
  private has = false;
  private pending = false;
  private disposed = false;
  private readonly render: (value: T) => void;
  private readonly schedule: FrameScheduler;
  /** Values replaced before they were rendered. */
  skipped = 0;

  constructor(render: (value: T) => void, schedule: FrameScheduler = raf) {
    this.render = render;
    this.schedule = schedule;
  }

  /** Offers a new value. */
  push(value: T): void {
    if (this.disposed) return;
    if (this.has) this.skipped++;
    this.value = value;
    this.has = true;
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      if (!this.has || this.disposed) return;
      const v = this.value as T;
      this.value = undefined;
      this.has = false;
      this.render(v);
    });
  }

  /** Drops the value waiting for its frame, if any. */
  clear(): void {
    this.value = undefined;
    this.has = false;
  }

  /** Drops what is waiting and ignores later pushes. */
  dispose(): void {
    this.clear();
    this.disposed = true;
  }
}

/**
 * Delivers every item pushed since the last frame (the newest `cap` when more arrived); after
 * `dispose` nothing more is rendered.
 */
export class Batch<T> {
  private items: T[] = [];
  private pending = false;
  private disposed = false;
  private readonly render: (items: T[]) => void;
  private readonly schedule: FrameScheduler;
  private readonly cap: number;
  /** Items dropped because more than `cap` arrived within one frame. */
  dropped = 0;

  constructor(render: (items: T[]) => void, cap = 500, schedule: FrameScheduler = raf) {
    this.render = render;
    this.cap = cap;
    this.schedule = schedule;
  }

  /** Adds items. */
  push(...items: T[]): void {
    if (this.disposed) return;
    for (const item of items) this.items.push(item);
    if (this.items.length > this.cap * 2) this.trim();
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      if (this.disposed) return;
      this.trim();
      const out = this.items;
      this.items = [];
      this.render(out);
    });
  }

  /** Drops the items waiting for their frame and ignores later pushes. */
  dispose(): void {
    this.items = [];
    this.disposed = true;
  }

  private trim(): void {
    const extra = this.items.length - this.cap;
    if (extra <= 0) return;
    this.dropped += extra;
    this.items = this.items.slice(extra);
  }
}
