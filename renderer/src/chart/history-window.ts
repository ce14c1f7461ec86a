/**
 * The chart's sliding window over its history. Every loaded bar is kept here in columns (oldest
 * first, Float64Arrays with spare room at both ends, so a page of older bars is prepended and a
 * live bar appended without copying the rest each time); the series shows only the window
 * `[start, end)` of at most `cap` bars, because lightweight-charts re-reads its whole data on each
 * `setData` (several µs per bar) and has no prepend.
 *
 * Indices: "global" indices count every loaded bar from the oldest (0); the series' logical
 * indices count from the window's start (`global = logical + start`). Prepending shifts every
 * global index by the page's length (the window's content stays the same). When the visible range
 * comes within `edge` bars of a window edge that has more loaded bars behind it, {@link
 * HistoryWindow.follow} centres a new window of `size` bars on the view and returns the logical
 * `offset` (old start − new start) that keeps the same bars on screen. Live bars extend the window
 * while it ends at the newest bar; past `cap` it is cut back to the newest `size` bars.
 *
 * Pure: no DOM, no chart library.
 */
import type { LegendBar, OhlcvColumns } from "./types.ts";

/** Sizes of the window (bars). */
export interface WindowSizes {
  /** Bars in a window made by a shift, a reset or a new series. */
  size: number;
  /** Most bars the series ever holds (live bars extend a window up to this). */
  cap: number;
  /** A view closer than this to a window edge (with loaded bars beyond it) shifts the window. */
  edge: number;
}

/** A new window and the logical offset to add to the visible range so the view does not jump. */
export interface WindowChange {
  start: number;
  end: number;
  offset: number;
}

/** What to do with a live bar: update the series, nothing (window scrolled back), or show a new window. */
export type LiveResult =
  | { kind: "update"; isNew: boolean }
  | { kind: "hidden"; isNew: boolean }
  | { kind: "reset"; change: WindowChange }
  | { kind: "ignored" };

const FIELDS = ["time", "open", "high", "low", "close", "volume"] as const;
/** One column of bars. */
export type Field = (typeof FIELDS)[number];

type Columns = Record<Field, Float64Array>;

const emptyColumns = (capacity: number): Columns =>
  ({ time: new Float64Array(capacity), open: new Float64Array(capacity), high: new Float64Array(capacity), low: new Float64Array(capacity), close: new Float64Array(capacity), volume: new Float64Array(capacity) });

/** Every loaded bar and the window of them shown in the series. */
export class HistoryWindow {
  private readonly sizes: WindowSizes;
  private cols: Columns = emptyColumns(0);
  /** Buffer index of the oldest bar. */
  private head = 0;
  private count = 0;
  private winStart = 0;
  private winEnd = 0;
  private changes = 0;

  constructor(sizes: WindowSizes) {
    if (!(sizes.size >= 1 && sizes.cap >= sizes.size && sizes.edge >= 0 && sizes.edge * 2 < sizes.size)) {
      throw new Error(`bad window sizes: size ${sizes.size}, cap ${sizes.cap}, edge ${sizes.edge}`);
    }
    this.sizes = sizes;
  }

  /**
   * Bumped whenever the loaded bars change (a new series, a prepended page, a live bar): what was
   * computed from them at another version is stale, even when the length is the same (a switch of
   * symbol or timeframe loads another first page of the same size).
   */
  get version(): number {
    return this.changes;
  }

  /** Loaded bars. */
  get length(): number {
    return this.count;
  }

  /** Global index of the window's first bar. */
  get start(): number {
    return this.winStart;
  }

  /** Global index after the window's last bar. */
  get end(): number {
    return this.winEnd;
  }

  /** True when the window ends at the newest loaded bar (live bars then go to the series). */
  get atLiveEdge(): boolean {
    return this.winEnd === this.count;
  }

  /** Time (UTC ms) of the oldest loaded bar, or null. */
  get oldestTime(): number | null {
    return this.count > 0 ? this.cols.time[this.head]! : null;
  }

  /** All loaded values of one field, oldest first (a view: valid until the next change). */
  column(field: Field): Float64Array {
    return this.cols[field].subarray(this.head, this.head + this.count);
  }

  /** The bar at global index `i` (0 ≤ i < length). */
  bar(i: number): LegendBar {
    const c = this.cols, j = this.head + i;
    return { time: c.time[j]!, open: c.open[j]!, high: c.high[j]!, low: c.low[j]!, close: c.close[j]!, volume: c.volume[j]! };
  }

  /** Global index of the first bar whose time is ≥ `timeMs` (length when none). */
  indexOf(timeMs: number): number {
    const t = this.cols.time;
    let lo = this.head, hi = this.head + this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t[mid]! < timeMs) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  /** Replaces every bar (a new series); the window shows the newest `size`. Unordered or repeated times are dropped. */
  replace(bars: OhlcvColumns): void {
    const keep = ordered(bars, Number.POSITIVE_INFINITY);
    this.changes++;
    this.cols = emptyColumns(Math.max(keep.length * 2, 1024));
    this.head = this.cols.time.length - keep.length;
    this.count = 0;
    this.write(bars, keep, this.head);
    this.count = keep.length;
    this.winEnd = this.count;
    this.winStart = Math.max(0, this.count - this.sizes.size);
  }

  /**
   * Prepends a page of older bars (bars at or after the oldest loaded one are dropped); returns how
   * many were added. The window keeps its bars (its global indices move by that many).
   */
  prepend(bars: OhlcvColumns): number {
    if (this.count === 0) {
      this.replace(bars);
      return this.count;
    }
    const keep = ordered(bars, this.oldestTime!);
    const k = keep.length;
    if (k === 0) return 0;
    this.changes++;
    if (this.head < k) this.grow(k, 0);
    this.head -= k;
    this.write(bars, keep, this.head);
    this.count += k;
    this.winStart += k;
    this.winEnd += k;
    return k;
  }

  /**
   * A live bar: appended when newer than the newest, replaces the newest at the same time, ignored
   * when older. Past `cap`, the window is cut back to the newest `size` bars when the visible range
   * `view` (series indices; omitted: assume it shows the newest bars) lies inside them; otherwise
   * it is centred on the view and leaves the live edge (live bars then wait, as when scrolled
   * back), so the bars on screen never leave the series. `view` null (a drag is on: the library
   * anchors it to its starting range) lets the window grow past `cap` until a later bar.
   */
  live(bar: LegendBar, view?: { from: number; to: number } | null): LiveResult {
    const last = this.count > 0 ? this.cols.time[this.head + this.count - 1]! : Number.NEGATIVE_INFINITY;
    if (bar.time < last) return { kind: "ignored" };
    const isNew = bar.time > last;
    const shown = this.atLiveEdge;
    this.changes++;
    if (isNew && this.head + this.count === this.cols.time.length) this.grow(0, Math.max(1024, this.count));
    const j = this.head + (isNew ? this.count++ : this.count - 1);
    for (const f of FIELDS) this.cols[f][j] = bar[f];
    if (!shown) return { kind: "hidden", isNew };
    if (!isNew) return { kind: "update", isNew };
    this.winEnd = this.count;
    if (this.winEnd - this.winStart <= this.sizes.cap || view === null) return { kind: "update", isNew };
    const start = this.winEnd - this.sizes.size;
    if (view === undefined || this.winStart + view.from >= start) return { kind: "reset", change: this.moveWindow(start, this.winEnd) };
    return { kind: "reset", change: this.centre(this.winStart + (view.from + view.to) / 2, false) ?? this.moveWindow(start, this.winEnd) };
  }

  /**
   * The window for a visible logical range (series indices): a new window centred on the view when
   * it is within `edge` bars of a window edge with loaded bars beyond it, else null.
   */
  follow(range: { from: number; to: number }): WindowChange | null {
    const n = this.winEnd - this.winStart;
    const nearOld = range.from < this.sizes.edge && this.winStart > 0;
    const nearNew = range.to > n - 1 - this.sizes.edge && this.winEnd < this.count;
    if (!nearOld && !nearNew) return null;
    return this.centre(this.winStart + (range.from + range.to) / 2, true);
  }

  /**
   * The window for showing the bar at global `index` centred with `half` bars either side: null
   * when the current window already has them and `edge` bars of margin (or has every bar).
   */
  reveal(index: number, half: number): WindowChange | null {
    const margin = Math.min(this.sizes.edge, Math.max(0, (this.sizes.size - 2 * half) / 2));
    const fromOk = index - half - margin >= this.winStart || this.winStart === 0;
    const toOk = index + half + margin <= this.winEnd || this.winEnd === this.count;
    return fromOk && toOk ? null : this.centre(index, false);
  }

  /**
   * The window from the oldest loaded bar: every bar when there are at most `cap`, else the oldest
   * `cap` (the series never hold more); null when that is the current window.
   */
  fromStart(): WindowChange | null {
    const end = Math.min(this.count, this.sizes.cap);
    return this.winStart === 0 && this.winEnd === end ? null : this.moveWindow(0, end);
  }

  /** A window of `size` bars around global `centre`, clamped to the loaded bars; null when it is the current one or too small a step. */
  private centre(centre: number, minStep: boolean): WindowChange | null {
    const size = this.sizes.size;
    const start = Math.min(Math.max(0, Math.round(centre - size / 2)), Math.max(0, this.count - size));
    const end = Math.min(this.count, start + size);
    if (start === this.winStart && end === this.winEnd) return null;
    const clamped = start === 0 || end === this.count;
    if (minStep && !clamped && Math.abs(start - this.winStart) < this.sizes.edge / 2) return null;
    return this.moveWindow(start, end);
  }

  private moveWindow(start: number, end: number): WindowChange {
    const offset = this.winStart - start;
    this.winStart = start;
    this.winEnd = end;
    return { start, end, offset };
  }

  /** Reallocates with at least `front` free slots before the oldest bar and `back` after the newest. */
  private grow(front: number, back: number): void {
    const frontRoom = Math.max(front, this.count);
    const cols = emptyColumns(frontRoom + this.count + Math.max(back, this.cols.time.length - this.head - this.count));
    for (const f of FIELDS) cols[f].set(this.column(f), frontRoom);
    this.cols = cols;
    this.head = frontRoom;
  }

  private write(bars: OhlcvColumns, keep: readonly number[], at: number): void {
    for (const f of FIELDS) {
      const src = bars[f], dst = this.cols[f];
      for (let i = 0; i < keep.length; i++) dst[at + i] = src[keep[i]!]!;
    }
  }
}

/** Indices of the bars of `bars` to keep: strictly increasing times before `before`. */
function ordered(bars: OhlcvColumns, before: number): number[] {
  const keep: number[] = [];
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < bars.time.length; i++) {
    const t = bars.time[i]!;
    if (!(t > prev) || t >= before) continue;
    prev = t;
    keep.push(i);
  }
  return keep;
}
