/**
 * A column screen that refreshes on every bar close of its timeframe: at each close (plus a grace
 * for the last trades and the store's flush) it feeds only the bars that closed since (the tail,
 * `ColumnScreen.refresh`), re-ranks, and tells its listeners the rows and the rank changes
 * (entries, exits, moves: what the UI highlights). `onEnterTop(n)` is the hook for alerts ("notify
 * when a symbol enters the top 10"); with `alertTop` every update also names those entries, which the
 * `screen.watch` stream carries to the Screener panel, which notifies the user.
 */
import { TIMEFRAMES } from "../../common/market/bars.ts";
import type { FilterExpr } from "../../common/screener/filter.ts";
import type { ScreenUpdate } from "../../common/api/screener.ts";
import { enteredTop, rankChanges, rankRows, type ScreenRow, type SortSpec, type UniverseMember } from "../../common/screener/rank.ts";
import type { MarketDb } from "../store/market-db.ts";
import type { ColumnScreen } from "./column-screen.ts";


/** Options of {@link ScreenWatch}. */
export interface ScreenWatchOptions {
  screen: ColumnScreen;
  sort: SortSpec | null;
  filter: FilterExpr | null;
  market: () => Promise<MarketDb>;
  /** Wait after a bar's close before refreshing (default 2 s). */
  graceMs?: number;
  /** Each update names the symbols that entered the top this many (`ScreenUpdate.entered`). */
  alertTop?: number;
  /** Called with a refresh that failed (the watch goes on). */
  onError?: (err: Error) => void;
  /** The clock (default `Date.now`). */
  now?: () => number;
}

type Listener = (update: ScreenUpdate) => void;

/** A screen refreshed on bar closes (see the file comment). */
export class ScreenWatch {
  private readonly opts: ScreenWatchOptions;
  private readonly listeners = new Set<Listener>();
  private previous: ScreenRow[] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<ScreenUpdate> | null = null;
  private stopped = false;

  constructor(opts: ScreenWatchOptions) {
    this.opts = opts;
  }

  /** Hears every refresh; returns the remover. */
  onUpdate(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The alert hook: hears the symbols that entered the top `n` at a refresh (none on the first). */
  onEnterTop(n: number, listener: (entered: UniverseMember[], update: ScreenUpdate) => void): () => void {
    let before: ScreenRow[] | null = null;
    return this.onUpdate((update) => {
      const entered = before === null ? [] : enteredTop(before, update.rows, n);
      before = update.rows;
      if (entered.length > 0) listener(entered, update);
    });
  }

  /** Refreshes with the bars closed by `now`, re-ranks and tells the listeners (one refresh at a time). */
  tick(now = this.now()): Promise<ScreenUpdate> {
    this.running ??= this.refresh(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refresh(now: number): Promise<ScreenUpdate> {
    const { rows, barsFed } = await this.opts.screen.refresh(await this.opts.market(), undefined, now);
    const ranked = rankRows(rows, this.opts.sort, this.opts.filter);
    const update: ScreenUpdate = { at: now, rows: ranked, changes: rankChanges(this.previous ?? [], ranked), barsFed };
    const top = this.opts.alertTop;
    if (top !== undefined) update.entered = this.previous === null ? [] : enteredTop(this.previous, ranked, top);
    this.previous = ranked;
    for (const listener of this.listeners) listener(update);
    return update;
  }

  /** Refreshes now, then after every bar close (plus the grace) until stopped. */
  start(): void {
    this.stopped = false;
    void this.tick().catch((err: Error) => this.opts.onError?.(err));
    this.schedule();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private schedule(): void {
    if (this.stopped) return;
    const tf = TIMEFRAMES[this.opts.screen.spec.timeframe];
    const now = this.now();
    const next = (Math.floor(now / tf) + 1) * tf + (this.opts.graceMs ?? 2000);
    this.timer = setTimeout(() => {
      void this.tick().catch((err: Error) => this.opts.onError?.(err));
      this.schedule();
    }, next - now);
    this.timer.unref?.();
  }

  /** Stops refreshing. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
