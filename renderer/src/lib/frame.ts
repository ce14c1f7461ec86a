/**
 * Coalescing to animation frames: a busy feed may deliver thousands of updates per second, the
 * screen shows at most one per frame. `Latest` keeps only the newest value; `Batch` keeps every
 * item (capped) until the frame. Each schedules one callback per frame at most, so the main
 * thread does a bounded amount of work however fast the feed is. The scheduler is injectable
 * for tests (requestAnimationFrame by default). The live panels use a slower one: {@link TickGroup}
 * runs the chart's live bars and every live panel due together in one task, 20 times a second at
 * most, and {@link paced} slows the text panels (book, tape, quotes, legend) to 10 — nobody reads
 * a book at 60 updates a second, and their style, layout and paint cost far more than a canvas
 * update. With several charts open, {@link FrameStagger} spreads the charts' redraws over frames,
 * {@link CHARTS_PER_FRAME} at a time.
 */

/** Schedules a callback before the next paint; returns nothing (cancellation is not needed). */
export type FrameScheduler = (cb: () => void) => void;

interface WithFrames {
  requestAnimationFrame(cb: () => void): number;
}

const raf: FrameScheduler = (cb) => void (globalThis as unknown as WithFrames).requestAnimationFrame(() => cb());

/**
 * A scheduler that runs each callback on the first frame at least `intervalMs` after the previous
 * one ran (at once, on the next frame, when that long has passed already); a function gives the
 * interval anew each time.
 */
export function paced(
  intervalMs: number | (() => number),
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
    const wait = last + (typeof intervalMs === "number" ? intervalMs : intervalMs()) - clock();
    if (wait <= 0) run();
    else later(run, wait);
  };
}

/** How often text panels fed by the live feed re-render at most (ms). */
export const TEXT_PANEL_INTERVAL_MS = 100;

/** How often the live chart takes new bars at most (ms): the live tick every live panel shares. */
export const LIVE_TICK_MS = 50;

/** Runs `cb`; an error is rethrown in a microtask, so the callers after it still run. */
function runIsolated(cb: () => void): void {
  try {
    cb();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}

/**
 * Main-thread time one tick may take before its remaining callbacks move to a task of their own:
 * with four charts and their panels, one tick's callbacks together could exceed a 50 ms task.
 */
export const TICK_BUDGET_MS = 16;

/**
 * A shared pace for live panels: callbacks asked for between two ticks all run together in one
 * timer task, at least `intervalMs` after the previous tick. The panels' DOM changes and the
 * chart's redraw (the chart draws on the animation frame after a series changes) then all land in
 * the frame after the tick, so the page paints about two frames per tick (the chart's redraw asks
 * for one more) however many panels change, instead of a frame per panel. Each frame has a fixed
 * cost — lifecycle, commit, layer updates, compositing — that on a software compositor outweighs
 * the panels' own style, layout and paint; and the panels' script runs in a task of its own, not in
 * the frame's rendering task. (A third chart's redraw goes to a later frame, see
 * {@link FrameStagger}: a chart's redraw is the one part of a frame that grows with the charts.)
 * A tick that runs past {@link TICK_BUDGET_MS} leaves its remaining callbacks to a task of its own.
 */
export class TickGroup {
  private queue: (() => void)[] = [];
  private armed = false;
  private last = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly clock: () => number;
  private readonly later: (cb: () => void, ms: number) => void;

  constructor(
    intervalMs: number,
    clock: () => number = () => performance.now(),
    later: (cb: () => void, ms: number) => void = (cb, ms) => void setTimeout(cb, ms),
  ) {
    this.intervalMs = intervalMs;
    this.clock = clock;
    this.later = later;
  }

  /** A scheduler that runs its callback on the next tick. */
  readonly scheduler: FrameScheduler = (cb) => {
    this.queue.push(cb);
    if (this.armed) return;
    this.armed = true;
    this.later(this.tick, Math.max(0, this.last + this.intervalMs - this.clock()));
  };

  private readonly tick = (): void => {
    this.armed = false;
    const start = this.clock();
    this.last = start;
    const due = this.queue;
    this.queue = [];
    for (let i = 0; i < due.length; i++) {
      // One panel's failure must not leave the others waiting for a tick that never comes.
      runIsolated(due[i]!);
      if (i + 1 < due.length && this.clock() - start >= TICK_BUDGET_MS) {
        // Over budget: the rest run in a task of their own at once, ahead of anything asked since.
        this.queue = [...due.slice(i + 1), ...this.queue];
        this.armed = true;
        this.later(this.tick, 0);
        return;
      }
    }
  };
}

/** The live tick shared by the chart and the live text panels. */
export const liveTicks = new TickGroup(LIVE_TICK_MS);

/**
 * Spreads callbacks over animation frames, `perFrame` per frame: the first ones at once, each
 * further one asked for before the next frame in a later frame, in the order asked. For charts: a
 * lightweight-charts chart redraws every canvas of every pane on the frame after its series
 * change, and on a software compositor each redrawn canvas is copied into a new resource on the
 * main thread, so four charts updated in one tick made one frame that drew and committed all four
 * (the longest frames with four charts open). Staggered, each frame draws a share of them; one
 * chart alone is updated on its tick as before.
 */
export class FrameStagger {
  private queue: (() => void)[] = [];
  /** Callbacks run since the last frame (a frame is asked for as soon as one ran). */
  private ran = 0;
  private readonly frame: FrameScheduler;
  private readonly perFrame: number;

  constructor(frame: FrameScheduler = raf, perFrame = 1) {
    this.frame = frame;
    this.perFrame = perFrame;
  }

  /** A scheduler that runs its callback now if fewer than `perFrame` ran since the last frame, else on a later frame. */
  readonly scheduler: FrameScheduler = (cb) => {
    if (this.ran >= this.perFrame) {
      this.queue.push(cb);
      return;
    }
    if (this.ran++ === 0) this.frame(this.next);
    runIsolated(cb);
  };

  private readonly next = (): void => {
    this.ran = 0;
    const due = this.queue.splice(0, this.perFrame);
    if (due.length === 0) return;
    this.ran = due.length;
    this.frame(this.next);
    for (const cb of due) runIsolated(cb);
  };
}

/**
 * Charts that take new bars in one frame. Each frame has a cost of its own — lifecycle, commit
 * (every canvas is a layer), layer updates, compositing — that on a software compositor weighs
 * about as much as one chart's redraw: with four charts one per frame, the page ran a frame on
 * ~49 of 60 vsyncs and the frames' fixed cost was most of its main-thread time. Two per frame
 * halves the frames and keeps a frame's own work to two charts' redraws.
 */
export const CHARTS_PER_FRAME = 2;

/** Frames shared by the charts' live updates: at most {@link CHARTS_PER_FRAME} charts take new bars per frame. */
export const chartFrames = new FrameStagger(raf, CHARTS_PER_FRAME);

/** How often one live chart takes new bars at most (ms), for the charts open now ({@link setOpenCharts}). */
let chartIntervalMs = LIVE_TICK_MS;

/**
 * Tells the live charts how many are open. Up to {@link CHARTS_PER_FRAME} each takes its bars on
 * every live tick (20 times a second); with more, each takes them every few ticks, so that the
 * charts together redraw at most 20 × `CHARTS_PER_FRAME` times a second: four charts at 20 each,
 * one or two per frame, made the page run a frame on 40 to 50 of 60 vsyncs, and a frame has a
 * fixed cost of its own on a software compositor. Ten redraws a second still look live.
 */
export function setOpenCharts(count: number): void {
  chartIntervalMs = LIVE_TICK_MS * Math.max(1, Math.ceil(count / CHARTS_PER_FRAME));
}

/**
 * A live chart's scheduler: paced to its share of the redraws ({@link setOpenCharts}), on the
 * shared live tick, then staggered so that few charts redraw per frame ({@link FrameStagger}).
 */
export function liveChartScheduler(): FrameScheduler {
  return paced(() => chartIntervalMs, (cb) => liveTicks.scheduler(() => chartFrames.scheduler(cb)));
}

/** A scheduler for a live text panel: paced to {@link TEXT_PANEL_INTERVAL_MS}, on the shared live tick. */
export function textPanelScheduler(): FrameScheduler {
  return paced(TEXT_PANEL_INTERVAL_MS, liveTicks.scheduler);
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
